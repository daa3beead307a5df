import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, newId, nowIso } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import { emailsOfPeople, hashToken, newToken } from '../auth';
import { createKnowledge, itemsByIds } from '../knowledge';
import { activeReferentDetails, levelsOf } from '../network';
import { confirmedReferents } from '../network';
import { eventHeader } from '../events';
import type { LabContext, LabSummary } from '../labs';
import { solve } from '$lib/grouping/solver';
import {
	BUILTIN_ATTRIBUTES,
	DEFAULT_SETTINGS,
	assignmentProblems,
	buildProblem,
	facilitatorPlan,
	isActorType,
	isScale,
	scoreOf,
	type PlanSource,
	type SessionAttribute,
	type SessionParticipant,
	type SessionSettings
} from '$lib/shared/sessions';
import type { KnowledgeType } from '$lib/shared/knowledge';
import type { Level } from '$lib/shared/network';

export interface ParticipantInput {
	name: string;
	email: string;
	organisation: string;
	actorType: string;
	scale: string;
	directorate: string;
	extra: Record<string, string>;
	personId?: string | null;
}

export interface FacilitatorCandidate {
	referentId: string;
	personId: string;
	name: string;
	level: Level;
	directorate: string;
}

export interface PlanView {
	id: string;
	version: number;
	groups: number;
	score: number;
	source: PlanSource;
	createdAt: string;
	/** participant id → group index. */
	assignment: Record<string, number>;
	facilitators: { groupIndex: number; referentId: string; name: string; role: 'lead' | 'second' }[];
}

/** A participant's personal link works for 30 days from when it was issued. */
export const PARTICIPANT_LINK_TTL_MS = 30 * 24 * 60 * 60_000;

/** The session's event, in this lab (404 otherwise). */
export async function loadEvent(db: Kysely<Database>, labId: string, eventId: string) {
	const e = await eventHeader(db, labId, eventId);
	return { id: e.id, title: e.title, kind: e.kind, starts_at: e.starts_at, place: e.place };
}

export async function sessionAttributes(db: Kysely<Database>, labId: string): Promise<SessionAttribute[]> {
	const custom = await db.selectFrom('group_attribute').where('lab_id', '=', labId).select(['key', 'label', 'kind']).orderBy('position').execute();
	return [
		...BUILTIN_ATTRIBUTES.map((a) => ({ key: a.key, label: null, kind: a.kind })),
		...custom.map((c) => ({ key: c.key, label: c.label, kind: (c.kind === 'numeric' ? 'numeric' : 'categorical') as SessionAttribute['kind'] }))
	];
}

/** Replaces the lab's own attributes (`Libellé ; catégorie|nombre` per line). */
export async function saveAttributes(db: Kysely<Database>, ctx: LabContext, defs: { label: string; kind: 'categorical' | 'numeric' }[]): Promise<void> {
	authorize(ctx.role, 'events.edit');
	await inTransaction(db, async (trx) => {
		await trx.deleteFrom('group_attribute').where('lab_id', '=', ctx.lab.id).execute();
		const keys = new Set<string>(BUILTIN_ATTRIBUTES.map((a) => a.key));
		for (const [i, d] of defs.entries()) {
			const key = `x_${
				d.label
					.normalize('NFD')
					.replace(/[\u0300-\u036f]/g, '')
					.toLowerCase()
					.replace(/[^a-z0-9]+/g, '_')
					.replace(/^_|_$/g, '')
					.slice(0, 40) || i
			}`;
			if (keys.has(key)) throw new DomainError('session.attributeDuplicate', 400, { label: d.label }, 'attributes');
			keys.add(key);
			await trx.insertInto('group_attribute').values({ id: newId(), lab_id: ctx.lab.id, key, label: d.label, kind: d.kind, position: i }).execute();
		}
	});
}

function rowToParticipant(r: Database['session_participant']): SessionParticipant {
	return {
		id: r.id,
		name: r.name,
		email: r.email,
		organisation: r.organisation,
		actorType: isActorType(r.actor_type) ? r.actor_type : '',
		scale: isScale(r.scale) ? r.scale : '',
		directorate: r.directorate,
		extra: JSON.parse(r.extra) as Record<string, string>,
		source: r.source
	};
}

/** The session's participants; `linkExpiresAt` says until when their personal link works (null: none issued). */
export async function listParticipants(
	db: Kysely<Database>,
	labId: string,
	eventId: string
): Promise<(SessionParticipant & { linkExpiresAt: string | null })[]> {
	const rows = await db
		.selectFrom('session_participant')
		.where('event_id', '=', eventId)
		.where('lab_id', '=', labId)
		.selectAll()
		.orderBy('position')
		.orderBy('name')
		.execute();
	return rows.map((r) => ({ ...rowToParticipant(r), linkExpiresAt: r.view_expires_at }));
}

/**
 * New personal links for some participants of a session (all of them when `participantIds` is
 * empty): each shown once to the caller (only hashes are kept), valid PARTICIPANT_LINK_TTL_MS;
 * the previous links of these participants stop working.
 */
export async function issueParticipantLinks(
	db: Kysely<Database>,
	ctx: LabContext,
	eventId: string,
	participantIds: string[] = []
): Promise<{ expiresAt: string; links: { id: string; name: string; token: string }[] }> {
	authorize(ctx.role, 'events.edit');
	const expiresAt = new Date(Date.now() + PARTICIPANT_LINK_TTL_MS).toISOString();
	return inTransaction(db, async (trx) => {
		await loadEvent(trx, ctx.lab.id, eventId);
		let q = trx.selectFrom('session_participant').where('event_id', '=', eventId).where('lab_id', '=', ctx.lab.id);
		if (participantIds.length) q = q.where('id', 'in', participantIds.slice(0, 2000));
		const rows = await q.select(['id', 'name']).orderBy('position').orderBy('name').execute();
		if (participantIds.length && rows.length !== new Set(participantIds).size) throw new DomainError('session.participantNotFound', 404);
		const links: { id: string; name: string; token: string }[] = [];
		for (const r of rows) {
			const token = newToken();
			await trx
				.updateTable('session_participant')
				.set({ view_token_hash: hashToken(token), view_expires_at: expiresAt })
				.where('id', '=', r.id)
				.execute();
			links.push({ id: r.id, name: r.name, token });
		}
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'session.links',
			subjectType: 'event',
			subjectId: eventId,
			summary: { count: links.length, expiresAt }
		});
		return { expiresAt, links };
	});
}

/**
 * The session's settings. Until they are first saved, the facilitators are the referents
 * confirmed on the event's calls, so a session set up after a call starts with them.
 */
export async function getSettings(db: Kysely<Database>, labId: string, eventId: string): Promise<SessionSettings> {
	const row = await db.selectFrom('group_session').where('event_id', '=', eventId).where('lab_id', '=', labId).select('settings').executeTakeFirst();
	if (row) return { ...DEFAULT_SETTINGS, ...(JSON.parse(row.settings) as Partial<SessionSettings>) };
	const active = new Set((await facilitatorCandidates(db, labId)).map((c) => c.referentId));
	const fromCall = (await confirmedReferents(db, labId, eventId)).map((r) => r.referentId).filter((id) => active.has(id));
	return { ...DEFAULT_SETTINGS, facilitators: fromCall };
}

/** The referents confirmed on the event's calls, as facilitator candidates (with their network level and call role). */
export async function callFacilitators(
	db: Kysely<Database>,
	labId: string,
	eventId: string
): Promise<(FacilitatorCandidate & { role: 'facilitator' | 'co_facilitator' })[]> {
	const [confirmed, candidates] = await Promise.all([confirmedReferents(db, labId, eventId), facilitatorCandidates(db, labId)]);
	const byId = new Map(candidates.map((c) => [c.referentId, c]));
	return confirmed.flatMap((r) => {
		const c = byId.get(r.referentId);
		return c ? [{ ...c, role: r.role }] : [];
	});
}

/** One click: the referents confirmed on the event's calls join the session's facilitators (the others stay). */
export async function takeCallFacilitators(db: Kysely<Database>, ctx: LabContext, eventId: string): Promise<{ added: number }> {
	authorize(ctx.role, 'events.edit');
	return inTransaction(db, async (trx) => {
		await loadEvent(trx, ctx.lab.id, eventId);
		const [settings, fromCall] = await Promise.all([getSettings(trx, ctx.lab.id, eventId), callFacilitators(trx, ctx.lab.id, eventId)]);
		const chosen = new Set(settings.facilitators);
		const fresh = fromCall.filter((c) => !chosen.has(c.referentId)).map((c) => c.referentId);
		await saveSettings(trx, ctx, eventId, { ...settings, facilitators: [...settings.facilitators, ...fresh] });
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'session.facilitatorsFromCall',
			subjectType: 'event',
			subjectId: eventId,
			summary: { added: fresh.length }
		});
		return { added: fresh.length };
	});
}

/** The lab's active referents, with their level, who may facilitate a group. */
export async function facilitatorCandidates(db: Kysely<Database>, labId: string): Promise<FacilitatorCandidate[]> {
	const rows = await activeReferentDetails(db, labId);
	const levels = await levelsOf(db, labId);
	return rows.map((r) => ({
		referentId: r.referentId,
		personId: r.personId,
		name: r.name,
		level: levels.get(r.personId) ?? 'observer',
		directorate: r.directorate
	}));
}

export async function currentPlan(db: Kysely<Database>, labId: string, eventId: string, version?: number): Promise<PlanView | null> {
	let q = db.selectFrom('group_plan').where('event_id', '=', eventId).where('lab_id', '=', labId);
	q = version ? q.where('version', '=', version) : q.orderBy('version', 'desc');
	const plan = await q.selectAll().limit(1).executeTakeFirst();
	if (!plan) return null;
	const [members, facilitators] = await Promise.all([
		db.selectFrom('group_member').where('plan_id', '=', plan.id).select(['participant_id', 'group_index']).execute(),
		db.selectFrom('group_facilitator').where('plan_id', '=', plan.id).select(['group_index', 'referent_id', 'name', 'role']).orderBy('group_index').execute()
	]);
	return {
		id: plan.id,
		version: plan.version,
		groups: plan.groups,
		score: plan.score,
		source: plan.source as PlanSource,
		createdAt: plan.created_at,
		assignment: Object.fromEntries(members.map((m) => [m.participant_id, m.group_index])),
		facilitators: facilitators.map((f) => ({
			groupIndex: f.group_index,
			referentId: f.referent_id,
			name: f.name,
			role: f.role === 'second' ? 'second' : 'lead'
		}))
	};
}

/** Everything the session page needs. */
export async function sessionView(db: Kysely<Database>, ctx: LabContext, eventId: string) {
	authorize(ctx.role, 'events.view');
	const event = await loadEvent(db, ctx.lab.id, eventId);
	const [participants, attributes, settings, candidates, plan, versions, outputs, fromCall] = await Promise.all([
		listParticipants(db, ctx.lab.id, eventId),
		sessionAttributes(db, ctx.lab.id),
		getSettings(db, ctx.lab.id, eventId),
		facilitatorCandidates(db, ctx.lab.id),
		currentPlan(db, ctx.lab.id, eventId),
		db
			.selectFrom('group_plan')
			.where('event_id', '=', eventId)
			.select(['version', 'score', 'source', 'created_at'])
			.orderBy('version', 'desc')
			.limit(50)
			.execute()
			.then((rows) => rows.map((r) => ({ ...r, source: r.source as PlanSource }))),
		groupOutputs(db, eventId),
		callFacilitators(db, ctx.lab.id, eventId)
	]);
	return { event, participants, attributes, settings, candidates, plan, versions, outputs, fromCall };
}

/** The knowledge items the groups produced, by group. */
async function groupOutputs(db: Kysely<Database>, eventId: string): Promise<{ group_index: number; id: string; title: string; type: string }[]> {
	const rows = await db.selectFrom('group_output').where('event_id', '=', eventId).select(['group_index', 'knowledge_id']).orderBy('group_index').execute();
	const items = await itemsByIds(
		db,
		rows.map((r) => r.knowledge_id)
	);
	return rows.flatMap((r) => {
		const k = items.get(r.knowledge_id);
		return k ? [{ group_index: r.group_index, id: k.id, title: k.title, type: k.type }] : [];
	});
}

export async function saveSettings(db: Kysely<Database>, ctx: LabContext, eventId: string, settings: SessionSettings): Promise<void> {
	authorize(ctx.role, 'events.edit');
	await inTransaction(db, async (trx) => {
		await loadEvent(trx, ctx.lab.id, eventId);
		const json = JSON.stringify(settings);
		const now = nowIso();
		const r = await trx
			.updateTable('group_session')
			.set({ settings: json, updated_at: now })
			.where('event_id', '=', eventId)
			.where('lab_id', '=', ctx.lab.id)
			.executeTakeFirst();
		if (!Number(r.numUpdatedRows))
			await trx.insertInto('group_session').values({ event_id: eventId, lab_id: ctx.lab.id, settings: json, updated_at: now }).execute();
	});
}

/**
 * Saves a new version of the groups after checking everything from scratch: every participant
 * placed, sizes, pins, together and apart, facilitators who are the session's and not
 * participants. `baseVersion` is the version the organiser started from: if someone saved in
 * between, the save is refused (nothing is half-applied).
 */
export async function savePlan(
	db: Kysely<Database>,
	ctx: LabContext,
	eventId: string,
	input: {
		assignment: Record<string, number>;
		facilitators: { groupIndex: number; referentId: string; role: 'lead' | 'second' }[];
		source: 'solver' | 'manual';
		baseVersion: number;
	}
): Promise<{ version: number; score: number }> {
	authorize(ctx.role, 'events.edit');
	return inTransaction(db, async (trx) => {
		await loadEvent(trx, ctx.lab.id, eventId);
		const [participants, attributes, settings, candidates] = await Promise.all([
			listParticipants(trx, ctx.lab.id, eventId),
			sessionAttributes(trx, ctx.lab.id),
			getSettings(trx, ctx.lab.id, eventId),
			facilitatorCandidates(trx, ctx.lab.id)
		]);
		const latest = await trx.selectFrom('group_plan').where('event_id', '=', eventId).select('version').orderBy('version', 'desc').limit(1).executeTakeFirst();
		const current = latest?.version ?? 0;
		if (input.baseVersion !== current) throw new DomainError('session.conflict', 409, { version: current });
		const chosen = new Set(settings.facilitators);
		const problem = buildProblem(participants, attributes, settings, chosen.size);
		if (problem.problems.some((p) => p.code !== 'grouping.fewerFacilitators')) throw new DomainError('session.settingsInvalid', 400);
		const assignment = participants.map((p) => input.assignment[p.id] ?? -1);
		const broken = assignmentProblems(problem, assignment);
		if (broken.length) throw new DomainError(broken[0]!, 400);
		const byId = new Map(candidates.map((c) => [c.referentId, c]));
		// The same person, known by their record or by their address, cannot be on both sides.
		const participantEmails = new Set(participants.map((p) => p.email).filter(Boolean));
		const participantPersons = new Set(
			(await trx.selectFrom('session_participant').where('event_id', '=', eventId).where('person_id', 'is not', null).select('person_id').execute()).map(
				(r) => r.person_id!
			)
		);
		const emails = await emailsOfPeople(
			trx,
			input.facilitators.flatMap((f) => byId.get(f.referentId)?.personId ?? [])
		);
		for (const f of input.facilitators) {
			const c = byId.get(f.referentId);
			if (!c || !chosen.has(f.referentId)) throw new DomainError('session.facilitatorUnknown', 400);
			if (f.groupIndex < 0 || f.groupIndex >= problem.groups) throw new DomainError('session.invalid.group', 400);
			const email = emails.get(c.personId);
			if (participantPersons.has(c.personId) || (email && participantEmails.has(email.toLowerCase())))
				throw new DomainError('session.facilitatorIsParticipant', 400, { name: c.name });
		}
		if (new Set(input.facilitators.map((f) => f.referentId)).size !== input.facilitators.length) throw new DomainError('session.facilitatorTwice', 400);
		const score = Math.round(scoreOf(problem, assignment) * 1000) / 1000;
		const id = newId();
		const version = current + 1;
		await trx
			.insertInto('group_plan')
			.values({
				id,
				lab_id: ctx.lab.id,
				event_id: eventId,
				version,
				groups: problem.groups,
				settings: JSON.stringify(settings),
				score,
				source: input.source,
				created_by: ctx.actor?.accountId ?? null,
				created_at: nowIso()
			})
			.execute();
		if (participants.length)
			await trx
				.insertInto('group_member')
				.values(participants.map((p, i) => ({ plan_id: id, participant_id: p.id, group_index: assignment[i]! })))
				.execute();
		if (input.facilitators.length)
			await trx
				.insertInto('group_facilitator')
				.values(
					input.facilitators.map((f) => ({
						plan_id: id,
						group_index: f.groupIndex,
						referent_id: f.referentId,
						name: byId.get(f.referentId)!.name,
						role: f.role
					}))
				)
				.execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'session.plan',
			subjectType: 'event',
			subjectId: eventId,
			summary: { version, score, source: input.source }
		});
		return { version, score };
	});
}

/** What a participant sees through their link: their group, its facilitators and members. */
export async function participantGroup(db: Kysely<Database>, lab: LabSummary, viewToken: string) {
	if (viewToken.length < 16 || viewToken.length > 200) return null;
	const p = await db
		.selectFrom('session_participant')
		.where('view_token_hash', '=', hashToken(viewToken))
		.where('view_expires_at', '>', nowIso())
		.where('lab_id', '=', lab.id)
		.selectAll()
		.executeTakeFirst();
	if (!p) return null;
	const event = await loadEvent(db, lab.id, p.event_id);
	const plan = await currentPlan(db, lab.id, p.event_id);
	const group = plan?.assignment[p.id];
	if (!plan || group === undefined) return { event, name: p.name, group: null, members: [], facilitators: [] };
	const members = await db
		.selectFrom('group_member as m')
		.innerJoin('session_participant as s', 's.id', 'm.participant_id')
		.where('m.plan_id', '=', plan.id)
		.where('m.group_index', '=', group)
		.select(['s.name', 's.organisation'])
		.orderBy('s.name')
		.execute();
	return { event, name: p.name, group, members, facilitators: plan.facilitators.filter((f) => f.groupIndex === group).map((f) => f.name) };
}

/**
 * After the session: each group's output becomes a knowledge item whose source is the event,
 * remembered as that group's output.
 */
export async function recordOutputs(
	db: Kysely<Database>,
	ctx: LabContext,
	eventId: string,
	outputs: { groupIndex: number; type: KnowledgeType; title: string; body: string }[]
): Promise<number> {
	authorize(ctx.role, 'knowledge.edit');
	return inTransaction(db, async (trx) => {
		await loadEvent(trx, ctx.lab.id, eventId);
		let n = 0;
		for (const o of outputs) {
			if (!o.title.trim()) continue;
			const knowledgeId = await createKnowledge(trx, ctx, {
				type: o.type,
				title: o.title.trim(),
				body: o.body,
				tags: ['coproduction'],
				visibility: 'lab',
				sourceType: 'event',
				sourceId: eventId
			});
			await trx
				.insertInto('group_output')
				.values({ id: newId(), lab_id: ctx.lab.id, event_id: eventId, group_index: o.groupIndex, knowledge_id: knowledgeId, created_at: nowIso() })
				.execute();
			n++;
		}
		return n;
	});
}

/** The current groups with their people, for printed lists, table cards and CSV. */
export async function planGroups(db: Kysely<Database>, ctx: LabContext, eventId: string) {
	authorize(ctx.role, 'events.view');
	const event = await loadEvent(db, ctx.lab.id, eventId);
	const [plan, participants] = await Promise.all([currentPlan(db, ctx.lab.id, eventId), listParticipants(db, ctx.lab.id, eventId)]);
	if (!plan) throw new DomainError('session.noPlanYet', 404);
	const groups = Array.from({ length: plan.groups }, (_, g) => ({
		index: g,
		facilitators: plan.facilitators.filter((f) => f.groupIndex === g),
		members: participants.filter((p) => plan.assignment[p.id] === g).sort((a, b) => a.name.localeCompare(b.name, 'fr'))
	}));
	return { event, version: plan.version, groups };
}

/**
 * Forms the groups on the server and saves them as a new version: the search without a
 * browser (a form posted without JavaScript, the demo). Impossible settings are refused with
 * the pre-check's first problem (participants given by index).
 */
export async function formGroups(
	db: Kysely<Database>,
	ctx: LabContext,
	eventId: string,
	opts: { seed: number; seconds?: number; maxSeconds?: number; maxIterations?: number }
): Promise<{ version: number; score: number }> {
	authorize(ctx.role, 'events.edit');
	const view = await sessionView(db, ctx, eventId);
	const p = buildProblem(view.participants, view.attributes, view.settings, view.settings.facilitators.length);
	if (p.problems.length) throw new DomainError(p.problems[0]!.code, 400, p.problems[0]!.params);
	// The session's own time, within the caller's cap, unless the caller sets it.
	const seconds = opts.seconds ?? Math.min(view.settings.seconds, opts.maxSeconds ?? Infinity);
	const s = solve(
		{ n: p.n, groups: p.groups, min: p.min, max: p.max, d: p.d },
		{ pinned: new Map(p.pinned), apart: p.apart, together: p.together },
		{ seed: opts.seed, seconds, maxIterations: opts.maxIterations }
	);
	return savePlan(db, ctx, eventId, {
		assignment: Object.fromEntries(view.participants.map((x, i) => [x.id, s.assignment[i]!])),
		facilitators: facilitatorPlan(p.groups, view.candidates, view.settings.facilitators),
		source: 'solver',
		baseVersion: view.plan?.version ?? 0
	});
}

export { addMembers, addParticipants, addReferents, participantKey, participantStatus, removeParticipant } from './participants';
