import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { completeOidc, oidcSettings, takeFlowCookie } from '$lib/server/auth';
import { linkProvider, signInWithProvider } from '$lib/server/commands/sign-in-with-provider';
import { DomainError } from '$lib/server/errors';
import { readLastLabCookie, setSessionCookie } from '$lib/server/cookies';
import { landingFor } from '$lib/server/home/landing';
import type { Msg } from '$lib/shared/forms';

/**
 * Where the provider sends the browser back. The flow's cookie is taken (cleared) whatever
 * happens, so a callback URL replayed later finds nothing to complete. Every failure is shown
 * with its explanation and a way back to the local sign-in.
 */
export const load: PageServerLoad = async ({ url, cookies, locals }) => {
	const flow = takeFlowCookie(cookies, url);
	const settings = oidcSettings();
	if (!settings) return { failure: { key: 'sso.notConfigured' } satisfies Msg, next: null, link: false };
	const link = flow?.purpose === 'link';
	let target: string;
	try {
		const identity = await completeOidc(settings, flow, url);
		if (link) {
			if (!locals.user || locals.user.accountId !== flow!.accountId) throw new DomainError('sso.linkWrongAccount', 403);
			await linkProvider(getDb(), locals.user.accountId, identity);
			target = '/profile?linked';
		} else {
			const s = await signInWithProvider(getDb(), identity);
			setSessionCookie(cookies, url, s.session.token, s.session.expiresAt);
			target = flow?.next ?? (await landingFor(getDb(), s.accountId, readLastLabCookie(cookies, url)));
		}
	} catch (e) {
		if (!(e instanceof DomainError)) throw e;
		return { failure: { key: e.code, params: e.params } satisfies Msg, next: flow?.next ?? null, link };
	}
	redirect(303, target);
};
