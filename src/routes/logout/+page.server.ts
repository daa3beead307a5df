import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { invalidateSession } from '$lib/server/auth/session';
import { endSessionUrl, oidcSettings, providerSessionHint, setLogoutCookie } from '$lib/server/auth';
import { clearSessionCookie, readSessionCookie } from '$lib/server/cookies';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ cookies, url }) => {
		const token = readSessionCookie(cookies, url);
		// A session opened through the provider ends there too (RP-initiated logout).
		const idToken = token ? await providerSessionHint(getDb(), token) : null;
		if (token) await invalidateSession(getDb(), token);
		clearSessionCookie(cookies, url);
		const settings = idToken ? oidcSettings() : null;
		const providerLogout = settings && idToken ? await endSessionUrl(settings, idToken) : null;
		if (!providerLogout) redirect(303, '/login?bye');
		setLogoutCookie(cookies, url, providerLogout);
		redirect(303, '/auth/oidc/logout');
	}
};
