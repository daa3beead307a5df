import { publicOrigin } from '$lib/server/env';
import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm, rethrowAsHttp } from '$lib/server/http';
import { DomainError } from '$lib/server/errors';
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
import { ACTOR_TYPES, SCALES, buildProblem, constraintsToText, parseConstraintLines, type SessionSettings } from '$lib/shared/sessions';
import { KNOWLEDGE_TYPES } from '$lib/shared/knowledge';

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

const participantSchema = z.object({
	name: z.string().trim().min(1).max(120),
	email: z.union([z.literal(''), z.string().trim().max(254).pipe(z.email())]).default(''),
	organisation: z.string().trim().max(200).default(''),
	actorType: z.union([z.literal(''), z.enum(ACTOR_TYPES)]).default(''),
	scale: z.union([z.literal(''), z.enum(SCALES)]).default(''),
	directorate: z.string().trim().max(200).default('')
});

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

function answer(formId: string, key: string, params: Record<string, string | number> = {}) {
	return { formId, done: { key, params } };
}

export const actions: Actions = {
	addMembers: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		const form = await event.request.formData();
		const r = await addMembers(getDb(), ctx, event.params.id, form.getAll('member').map(String)).catch((e) => rethrowAsHttp(e));
		return answer('add', 'session.added', r);
	},
	addReferents: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		const form = await event.request.formData();
		const r = await addReferents(getDb(), ctx, event.params.id, form.getAll('referent').map(String)).catch((e) => rethrowAsHttp(e));
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
		const form = await event.request.formData();
		const one = String(form.get('participantId') ?? '');
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
		const form = await event.request.formData();
		try {
			await removeParticipant(getDb(), ctx, event.params.id, String(form.get('participantId') ?? ''));
		} catch (e) {
			return domainFailure(e, { formId: 'remove' });
		}
		return answer('remove', 'session.removed');
	},
	attributes: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		const form = await event.request.formData();
		const text = String(form.get('attributes') ?? '');
		const values = { formId: 'attributes', attributes: text };
		const defs: { label: string; kind: 'categorical' | 'numeric' }[] = [];
		for (const [i, raw] of text.split(/\r?\n/).entries()) {
			const line = raw.trim();
			if (!line) continue;
			const [label = '', kind = 'catégorie'] = line.split(';').map((s) => s.trim());
			const k = kind.toLowerCase();
			if (!label || label.length > 60 || !['catégorie', 'categorie', 'categorical', 'nombre', 'numeric', 'number'].includes(k))
				return fail(400, { formId: 'attributes', values, errors: { attributes: { key: 'session.attributeLine', params: { line: i + 1 } } }, message: { key: 'session.attributeLine', params: { line: i + 1 } } });
			defs.push({ label, kind: k.startsWith('n') ? 'numeric' : 'categorical' });
		}
		try {
			await saveAttributes(getDb(), ctx, defs);
		} catch (e) {
			return domainFailure(e, values);
		}
		return answer('attributes', 'session.attributesSaved');
	},
	settings: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		const db = getDb();
		const view = await sessionView(db, ctx, event.params.id).catch((e) => rethrowAsHttp(e));
		const form = await event.request.formData();
		const values: Record<string, string> = { formId: 'settings' };
		for (const [k, v] of form.entries()) if (typeof v === 'string') values[k] = v;
		const failWith = (field: string, key: string, params: Record<string, string | number> = {}) =>
			fail(400, { formId: 'settings', values, errors: { [field]: { key, params } }, message: { key, params } });
		const weights: Record<string, number> = {};
		for (const a of view.attributes) {
			const w = int(0, 5).safeParse(form.get(`w-${a.key}`) ?? '0');
			if (!w.success) return failWith(`w-${a.key}`, 'session.weightInvalid');
			weights[a.key] = w.data;
		}
		const mode = String(form.get('mode') ?? 'groups');
		let sizing: SessionSettings['sizing'];
		if (mode === 'size') {
			const s = int(2, 500).safeParse(form.get('size'));
			if (!s.success) return failWith('size', 'session.sizeInvalid');
			sizing = { mode: 'size', size: s.data };
		} else if (mode === 'exact') {
			const parts = String(form.get('sizes') ?? '').split(/[\s,;]+/).filter(Boolean).map(Number);
			if (!parts.length || parts.some((x) => !Number.isInteger(x) || x < 1 || x > 500)) return failWith('sizes', 'session.sizesInvalid');
			sizing = { mode: 'exact', sizes: parts };
		} else {
			const g = int(1, 200).safeParse(form.get('groups'));
			if (!g.success) return failWith('groups', 'session.groupsInvalid');
			sizing = { mode: 'groups', groups: g.data };
		}
		const seconds = int(1, 30).safeParse(form.get('seconds') ?? '2');
		if (!seconds.success) return failWith('seconds', 'session.secondsInvalid');
		const c = parseConstraintLines({ together: String(form.get('together') ?? ''), apart: String(form.get('apart') ?? ''), pinned: String(form.get('pinned') ?? '') }, view.participants);
		if (!c.ok) return failWith(c.field, c.key, { line: c.line, name: c.name ?? '' });
		const facilitators = form.getAll('facilitator').map(String).filter((id) => view.candidates.some((x) => x.referentId === id));
		try {
			await saveSettings(db, ctx, event.params.id, { weights, sizing, together: c.together, apart: c.apart, pinned: c.pinned, facilitators, seconds: seconds.data });
		} catch (e) {
			return domainFailure(e, values);
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
		const form = await event.request.formData();
		const parsed = z
			.object({
				assignment: z.record(z.string(), z.number().int().min(0).max(1000)),
				facilitators: z.array(z.object({ groupIndex: z.number().int().min(0), referentId: z.string(), role: z.enum(['lead', 'second']) })).max(1000),
				source: z.enum(['solver', 'manual']),
				baseVersion: z.number().int().min(0)
			})
			.safeParse((() => {
				try {
					return JSON.parse(String(form.get('plan') ?? ''));
				} catch {
					return null;
				}
			})());
		if (!parsed.success) return fail(400, { formId: 'plan', values: { formId: 'plan' }, errors: {}, message: { key: 'form.invalid' } });
		try {
			const r = await savePlan(getDb(), ctx, event.params.id, parsed.data);
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
		const form = await event.request.formData();
		const values: Record<string, string> = { formId: 'outputs' };
		for (const [k, v] of form.entries()) if (typeof v === 'string') values[k] = v;
		const outputs: { groupIndex: number; type: (typeof KNOWLEDGE_TYPES)[number]; title: string; body: string }[] = [];
		for (let g = 0; g < 200; g++) {
			const title = String(form.get(`title-${g}`) ?? '').trim();
			if (!form.has(`title-${g}`)) break;
			if (!title) continue;
			const type = String(form.get(`type-${g}`) ?? 'lesson');
			if (!(KNOWLEDGE_TYPES as readonly string[]).includes(type) || title.length > 200) return domainFailure(new DomainError('form.invalid', 400), values);
			outputs.push({ groupIndex: g, type: type as (typeof KNOWLEDGE_TYPES)[number], title, body: String(form.get(`body-${g}`) ?? '').slice(0, 20_000) });
		}
		if (!outputs.length) return domainFailure(new DomainError('session.outputsEmpty', 400), values);
		try {
			const n = await recordOutputs(getDb(), ctx, event.params.id, outputs);
			return answer('outputs', 'session.outputsSaved', { n });
		} catch (e) {
			return domainFailure(e, values);
		}
	}
};
