import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { beginOidc, oidcSettings, setFlowCookie, unlinkIdentity } from '$lib/server/auth';
import { domainFailure, requireUser } from '$lib/server/http';
import { DomainError } from '$lib/server/errors';

/** Only the actions' failures are shown here; a plain visit goes to the profile. */
export const load: PageServerLoad = ({ request }) => {
	if (request.method === 'GET') redirect(303, '/profile');
};

/** Linking and unlinking the provider from the profile (form posts: SvelteKit checks their origin). */
export const actions: Actions = {
	link: async (event) => {
		const user = requireUser(event);
		const settings = oidcSettings();
		let target: string;
		try {
			if (!settings) throw new DomainError('sso.notConfigured', 404);
			const { url, flow } = await beginOidc(settings, { purpose: 'link', next: '/profile', accountId: user.accountId });
			setFlowCookie(event.cookies, event.url, flow);
			target = url;
		} catch (e) {
			return domainFailure(e, {});
		}
		redirect(303, target);
	},
	unlink: async (event) => {
		const user = requireUser(event);
		const id = String((await event.request.formData()).get('identity') ?? '');
		try {
			await unlinkIdentity(getDb(), user.accountId, id);
		} catch (e) {
			return domainFailure(e, {});
		}
		redirect(303, '/profile?unlinked');
	}
};
