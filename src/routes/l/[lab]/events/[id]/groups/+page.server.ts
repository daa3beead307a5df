import { publicOrigin } from '$lib/server/env';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm, rethrowAsHttp } from '$lib/server/http';
import { can } from '$lib/server/policy';
import {
	addMembers,
	addParticipants,
	addReferents,
	formGroups,
	issueParticipantLinks,
	recordOutputs,
	removeParticipant,
	saveAttributes,
	savePlan,
	saveSettings,
	sessionView,
	takeCallFacilitators
} from '$lib/server/sessions/sessions.service';
import { memberChoices } from '$lib/server/members/members.service';
import { buildProblem, constraintsToText } from '$lib/shared/sessions';
import {
	addMembersSchema,
	addReferentsSchema,
	attributesSchema,
	outputsFormSchema,
	participantIdSchema,
	participantSchema,
	savePlanSchema,
	settingsSchema
} from '$lib/shared/session-forms';
import type { MessageKey, Params } from '$lib/i18n';
import { formMessage } from '$lib/shared/forms';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'events.view');
	const db = getDb();
	try {
		const view = await sessionView(db, ctx, event.params.id);
		const canEdit = can(ctx.role, 'events.edit');
		const members = canEdit ? await memberChoices(db, ctx) : [];
		const problem = buildProblem(view.participants, view.attributes, view.settings, view.settings.facilitators.length);
		return {
			...view,
			members,
			canEdit,
			problems: problem.problems,
			constraintText: constraintsToText(view.settings, view.participants)
		};
	} catch (e) {
		rethrowAsHttp(e);
	}
};

function answer(formId: string, key: MessageKey, params: Params = {}) {
	return { formId, done: formMessage(key, params) };
}

export const actions: Actions = {
	addMembers: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		const parsed = await parseForm(event, addMembersSchema, { arrays: ['member'] });
		if (!parsed.ok) return parsed.failure;
		const r = await addMembers(getDb(), ctx, event.params.id, parsed.data.member).catch((e) => rethrowAsHttp(e));
		return answer('add', 'session.added', r);
	},
	addReferents: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		const parsed = await parseForm(event, addReferentsSchema, { arrays: ['referent'] });
		if (!parsed.ok) return parsed.failure;
		const r = await addReferents(getDb(), ctx, event.params.id, parsed.data.referent).catch((e) => rethrowAsHttp(e));
		return answer('add', 'session.added', r);
	},
	addOne: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		const parsed = await parseForm(event, participantSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			const r = await addParticipants(getDb(), ctx, event.params.id, [{ ...parsed.data, extra: {} }], 'manual');
			return answer('addOne', 'session.added', r);
		} catch (e) {
			return domainFailure(e, { ...parsed.values, formId: 'addOne' });
		}
	},
	/** New personal links (one participant, or all), shown once in the answer; the old ones stop working. */
	links: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		const parsed = await parseForm(event, participantIdSchema);
		if (!parsed.ok) return parsed.failure;
		const one = parsed.data.participantId;
		try {
			const r = await issueParticipantLinks(getDb(), ctx, event.params.id, one ? [one] : []);
			const origin = `${publicOrigin()}/l/${ctx.lab.slug}/g/`;
			return { formId: 'links', expiresAt: r.expiresAt, links: r.links.map((l) => ({ id: l.id, name: l.name, url: origin + l.token })) };
		} catch (e) {
			return domainFailure(e, { formId: 'links' });
		}
	},
	remove: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		const parsed = await parseForm(event, participantIdSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await removeParticipant(getDb(), ctx, event.params.id, parsed.data.participantId);
		} catch (e) {
			return domainFailure(e, { formId: 'remove' });
		}
		return answer('remove', 'session.removed');
	},
	attributes: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		const parsed = await parseForm(event, attributesSchema, { message: 'first' });
		if (!parsed.ok) return parsed.failure;
		try {
			await saveAttributes(getDb(), ctx, parsed.data.attributes);
		} catch (e) {
			return domainFailure(e, { ...parsed.values, formId: 'attributes' });
		}
		return answer('attributes', 'session.attributesSaved');
	},
	settings: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		const db = getDb();
		const view = await sessionView(db, ctx, event.params.id).catch((e) => rethrowAsHttp(e));
		const parsed = await parseForm(event, settingsSchema(view), { arrays: ['facilitator'], message: 'first' });
		if (!parsed.ok) return parsed.failure;
		try {
			await saveSettings(db, ctx, event.params.id, parsed.data);
		} catch (e) {
			return domainFailure(e, { ...parsed.values, formId: 'settings' });
		}
		return answer('settings', 'session.settingsSaved');
	},
	/** The referents confirmed on the event's calls join the facilitators (one click). */
	fromCall: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		try {
			const r = await takeCallFacilitators(getDb(), ctx, event.params.id);
			return answer('settings', 'session.fromCallDone', { n: r.added });
		} catch (e) {
			return domainFailure(e, { formId: 'settings' });
		}
	},
	savePlan: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		const parsed = await parseForm(event, savePlanSchema, { message: 'first' });
		if (!parsed.ok) return parsed.failure;
		try {
			const r = await savePlan(getDb(), ctx, event.params.id, parsed.data.plan);
			return answer('plan', 'session.planSaved', { version: r.version });
		} catch (e) {
			return domainFailure(e, { formId: 'plan' });
		}
	},
	/** Without JavaScript: solve on the server (for a short time) and save the result. */
	solve: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		try {
			const r = await formGroups(getDb(), ctx, event.params.id, { seed: 1, maxSeconds: 2 });
			return answer('plan', 'session.planSaved', { version: r.version });
		} catch (e) {
			return domainFailure(e, { formId: 'solve' });
		}
	},
	outputs: async (event) => {
		const ctx = await guardLab(event, 'knowledge.edit');
		const parsed = await parseForm(event, outputsFormSchema, { message: 'first' });
		if (!parsed.ok) return parsed.failure;
		try {
			const n = await recordOutputs(getDb(), ctx, event.params.id, parsed.data);
			return answer('outputs', 'session.outputsSaved', { n });
		} catch (e) {
			return domainFailure(e, { ...parsed.values, formId: 'outputs' });
		}
	}
};
