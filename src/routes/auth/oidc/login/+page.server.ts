import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { beginOidc, oidcSettings, setFlowCookie } from '$lib/server/auth';
import { DomainError } from '$lib/server/errors';
import { safeNext } from '$lib/server/cookies';
import type { Msg } from '$lib/shared/forms';

/** Starts single sign-on: the flow goes into its sealed cookie and the browser to the provider. */
export const load: PageServerLoad = async ({ url, cookies, locals }) => {
	const next = safeNext(url.searchParams.get('next'));
	if (locals.user) redirect(303, next ?? '/');
	const settings = oidcSettings();
	if (!settings) return { failure: { key: 'sso.notConfigured' } satisfies Msg, next };
	let target: string;
	try {
		const { url: providerUrl, flow } = await beginOidc(settings, { purpose: 'signin', next });
		setFlowCookie(cookies, url, flow);
		target = providerUrl;
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
		return { failure: { key: e.code, params: e.params } satisfies Msg, next };
	}
	redirect(303, target);
};
