import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { DomainError } from '$lib/server/errors';
import { domainFailure, parseForm } from '$lib/server/http';
import { setSessionCookie } from '$lib/server/cookies';
import { hitRateLimit, LIMITS } from '$lib/server/ratelimit/ratelimit';
import { addressGroup } from '$lib/server/ratelimit/address';
import { acceptInvitation, findInvitation } from '$lib/server/members/members.service';
import { acceptExistingSchema, acceptNewSchema } from '$lib/shared/schemas';
import { oidcButton, passwordLoginEnabled } from '$lib/server/auth';

export const load: PageServerLoad = async ({ params }) => {
	try {
		const inv = await findInvitation(getDb(), params.token);
		return {
			problem: null,
			// With single sign-on, the provider's verified e-mail accepts the invitation.
			sso: oidcButton(),
			passwordLogin: passwordLoginEnabled(),
			invitation: { email: inv.email, name: inv.name, role: inv.role, labName: inv.labName, inviter: inv.inviter, hasAccount: inv.hasAccount }
		};
	} catch (e) {
		if (e instanceof DomainError) return { problem: e.code, invitation: null };
		throw e;
	}
};

export const actions: Actions = {
	default: async (event) => {
		const db = getDb();
		const limited = await hitRateLimit(db, `invitation:${addressGroup(event.getClientAddress())}`, LIMITS.publicForm);
		let hasAccount: boolean;
		try {
			if (!limited.allowed) throw new DomainError('auth.tooManyAttempts', 429, { minutes: Math.ceil(limited.retryAfterSeconds / 60) });
			if (!passwordLoginEnabled()) throw new DomainError('sso.passwordLoginOff', 403);
			hasAccount = (await findInvitation(db, event.params.token)).hasAccount;
		} catch (e) {
			return domainFailure(e, {});
		}
		const parsed = await parseForm(event, hasAccount ? acceptExistingSchema : acceptNewSchema);
		if (!parsed.ok) return parsed.failure;
		let slug: string;
		try {
			const res = await acceptInvitation(db, event.params.token, parsed.data);
			setSessionCookie(event.cookies, event.url, res.session.token, res.session.expiresAt);
			slug = res.labSlug;
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		redirect(303, `/l/${slug}`);
	}
};
