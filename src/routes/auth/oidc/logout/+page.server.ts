import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { oidcSettings, takeLogoutCookie } from '$lib/server/auth';

/** After Labo's own logout: sends the browser to the provider's logout (RP-initiated logout). */
export const load: PageServerLoad = ({ cookies, url }) => {
	const settings = oidcSettings();
	const target = settings ? takeLogoutCookie(cookies, url, settings.issuer) : null;
	if (!settings || !target) redirect(303, '/login?bye');
	return { target, label: settings.label };
};
