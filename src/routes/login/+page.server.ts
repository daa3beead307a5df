import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { login } from '$lib/server/auth/auth.service';
import { domainFailure, parseForm } from '$lib/server/http';
import { readDeviceCookie, readLastLabCookie, safeNext, setDeviceCookie, setSessionCookie } from '$lib/server/cookies';
import { landingFor } from '$lib/server/home/landing';
import { loginSchema } from '$lib/shared/schemas';
import { oidcButton, passwordLoginEnabled } from '$lib/server/auth';
import { DomainError } from '$lib/server/errors';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')) ?? '/');
	return { reset: url.searchParams.has('reset'), loggedOut: url.searchParams.has('bye'), sso: oidcButton(), passwordLogin: passwordLoginEnabled() };
};

export const actions: Actions = {
	default: async (event) => {
		const parsed = await parseForm(event, loginSchema);
		if (!parsed.ok) return parsed.failure;
		if (!passwordLoginEnabled()) return domainFailure(new DomainError('sso.passwordLoginOff', 403), parsed.values);
		let accountId: string;
		try {
			const deviceToken = readDeviceCookie(event.cookies, event.url);
			const s = await login(getDb(), { ...parsed.data, ip: event.getClientAddress(), deviceToken });
			setSessionCookie(event.cookies, event.url, s.token, s.expiresAt);
			setDeviceCookie(event.cookies, event.url, s.device.token, s.device.expiresAt);
			accountId = s.accountId;
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		const next = safeNext(event.url.searchParams.get('next'));
		if (next) redirect(303, next);
		redirect(303, await landingFor(getDb(), accountId, readLastLabCookie(event.cookies, event.url)));
	}
};
