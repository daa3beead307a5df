import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { setLocale } from '$lib/server/auth/auth.service';
import { localeSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ request, cookies, locals, url }) => {
		const parsed = localeSchema.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) redirect(303, '/');
		const { locale, redirectTo } = parsed.data;
		cookies.set('labo_locale', locale, {
			path: '/',
			httpOnly: true,
			sameSite: 'lax',
			secure: url.protocol === 'https:',
			maxAge: 365 * 24 * 3600
		});
		if (locals.user) await setLocale(getDb(), locals.user.accountId, locale);
		redirect(303, redirectTo);
	}
};
