import { fail, type RequestEvent } from '@sveltejs/kit';
import { getDb } from '../db';
import { domainFailure } from '../http';
import { DomainError } from '../errors';
import type { LabSummary } from '../labs';
import { consentAgain, listSkills, requestErasure, updateProfile, withdraw, type ReferentProfile } from './network.service';
import { getProfile } from './directory';
import { parseProfileForm, profileToValues } from '$lib/shared/network-forms';
import { formMessage } from '$lib/shared/forms';

/**
 * The self-service page of a referent, shared by the member page (/network/me, their account
 * proves who they are) and the personal link (/network/me/<token>, for people without one).
 */
export async function selfPageData(lab: LabSummary, referentId: string | null) {
	const db = getDb();
	const [profile, skills] = await Promise.all([referentId ? getProfile(db, lab.id, referentId) : Promise.resolve(null), listSkills(db, lab.id)]);
	return {
		profile: profile && publicView(profile),
		values: profile ? profileToValues(profile) : null,
		skills
	};
}

function publicView(p: ReferentProfile) {
	return {
		name: p.name,
		email: p.email,
		level: p.level,
		reasons: p.reasons,
		next: p.next,
		consentAt: p.consentAt,
		withdrawnAt: p.withdrawnAt,
		erasureRequestedAt: p.erasureRequestedAt,
		skillLabels: p.skillLabels
	};
}

type Join = (input: Parameters<typeof updateProfile>[3], consent: boolean) => Promise<string>;

/** The page's actions once the referent (or would-be referent) is known. */
export function selfActions(resolve: (event: RequestEvent) => Promise<{ lab: LabSummary; referentId: string | null; join: Join; actorId: string | null }>) {
	return {
		join: async (event: RequestEvent) => {
			const who = await resolve(event);
			const form = await event.request.formData();
			const parsed = parseProfileForm(form);
			const consent = form.get('consent') === 'yes';
			const values = { ...parsed.values, formId: 'join', consent: consent ? 'yes' : '' };
			if (!parsed.ok)
				return fail(400, {
					formId: 'join',
					values,
					errors: parsed.errors,
					message: { key: 'form.errors', params: { count: Object.keys(parsed.errors).length } }
				});
			try {
				await who.join(parsed.data, consent);
			} catch (e) {
				return domainFailure(e, values);
			}
			return { formId: 'join', done: formMessage('network.me.joined') };
		},
		update: async (event: RequestEvent) => {
			const who = await resolve(event);
			if (!who.referentId) return domainFailure(new DomainError('network.notFound', 404), {});
			const form = await event.request.formData();
			const parsed = parseProfileForm(form);
			const values = { ...parsed.values, formId: 'update' };
			if (!parsed.ok)
				return fail(400, {
					formId: 'update',
					values,
					errors: parsed.errors,
					message: { key: 'form.errors', params: { count: Object.keys(parsed.errors).length } }
				});
			try {
				await updateProfile(getDb(), who.lab.id, who.referentId, parsed.data);
			} catch (e) {
				return domainFailure(e, values);
			}
			return { formId: 'update', done: formMessage('network.me.saved') };
		},
		withdraw: async (event: RequestEvent) => {
			const who = await resolve(event);
			if (who.referentId) await withdraw(getDb(), who.lab.id, who.referentId, who.actorId);
			return { formId: 'withdraw', done: formMessage('network.me.withdrawn') };
		},
		erase: async (event: RequestEvent) => {
			const who = await resolve(event);
			if (who.referentId) await requestErasure(getDb(), who.lab.id, who.referentId, who.actorId);
			return { formId: 'erase', done: formMessage('network.me.erasureAsked') };
		}
	};
}

export const rejoinWith =
	(lab: LabSummary, referentId: string): Join =>
	(input, consent) =>
		consentAgain(getDb(), lab.id, referentId, input, consent);

/** Everything held about a referent, as a JSON download. */
export function dataResponse(data: unknown): Response {
	return new Response(JSON.stringify(data, null, 2), {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': 'attachment; filename="mes-donnees-reseau.json"',
			'Cache-Control': 'private, no-store'
		}
	});
}
