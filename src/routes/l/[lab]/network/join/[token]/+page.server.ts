import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { DomainError } from '$lib/server/errors';
import { domainFailure, guardLab, httpError } from '$lib/server/http';
import { hitRateLimit, LIMITS } from '$lib/server/ratelimit/ratelimit';
import { invitationByToken, joinByInvitation } from '$lib/server/network/invitations';
import { listSkills } from '$lib/server/network/network.service';
import { fold } from '$lib/shared/network';
import { parseProfileForm, profileToValues } from '$lib/shared/network-forms';
import type { FieldErrors } from '$lib/shared/forms';

// An invited agent opens this page from the link in their mail, without an account: the token
// is the proof. Opening the page only shows the purpose and the prefilled profile (mail
// scanners open links); the agent joins only by ticking the consent box and submitting.

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	event.setHeaders({ 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer' });
	const db = getDb();
	const inv = await invitationByToken(db, ctx.lab.id, event.params.token);
	if (!inv) httpError(404, 'network.join.notFound');
	if (inv.acceptedAt) return { used: true as const, name: inv.name, skills: [], values: {} as Record<string, string> };
	if (inv.expired) httpError(410, 'network.join.expired');
	const skills = await listSkills(db, ctx.lab.id);
	// The import keeps skills by label; the form checks them by id.
	const byFold = new Map(skills.map((s) => [fold(s.label), s.id]));
	const skillIds = inv.profile.skills.map((l) => byFold.get(fold(l))).filter((id): id is string => Boolean(id));
	return {
		used: false as const,
		name: inv.name,
		skills,
		values: profileToValues({ ...inv.profile, skills: skillIds, bio: '', unavailable: [] })
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'lab.viewPublic');
		const db = getDb();
		const form = await event.request.formData().catch(() => null);
		if (!form) return fail(400, { values: {} as Record<string, string>, errors: {} as FieldErrors, message: { key: 'form.invalid' } });
		const parsed = parseProfileForm(form);
		const consent = form.get('consent') === 'yes';
		const values = { ...parsed.values, ...(consent ? { consent: 'yes' } : {}) };

		const limited = await hitRateLimit(db, `network-join:${event.getClientAddress()}`, LIMITS.publicForm);
		if (!limited.allowed)
			return domainFailure(new DomainError('network.join.tooManyAttempts', 429, { minutes: Math.ceil(limited.retryAfterSeconds / 60) }), values);

		const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
		if (!consent) errors.consent = { key: 'network.join.consentRequired' };
		if (!parsed.ok || !consent) return fail(400, { values, errors, message: { key: 'form.errors', params: { count: Object.keys(errors).length } } });

		try {
			const joined = await joinByInvitation(db, ctx.lab, event.params.token, parsed.data);
			return { joined };
		} catch (e) {
			if (e instanceof DomainError && e.code === 'network.invitationUsed') return domainFailure(new DomainError('network.join.used', 409), values);
			return domainFailure(e, values);
		}
	}
};
