import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { invalidateSession } from '$lib/server/auth/session';
import { clearSessionCookie, readSessionCookie } from '$lib/server/cookies';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ cookies, url }) => {
		const token = readSessionCookie(cookies, url);
		if (token) await invalidateSession(getDb(), token);
		clearSessionCookie(cookies, url);
		redirect(303, '/login?bye');
	}
};
