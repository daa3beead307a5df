import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, likeEscape, newId, nowIso, toCount } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit/audit.service';
import { hashToken, newToken } from '../auth/tokens';
import { normaliseEmail } from '../auth/auth.service';
import type { LabContext, LabSummary } from '../labs/labs.service';
import {
	CONSENT_VERSION,
	EMPTY_COUNTS,
	levelOf,
	nextStep,
	type LadderCounts,
	type Level,
	type LevelReason,
	type Territory
} from '$lib/shared/network';

export interface Skill {
	id: string;
	label: string;
}

export interface Period {
	from: string; // YYYY-MM-DD
	to: string;
}

export interface ProfileInput {
	directorate: string;
	service: string;
	territory: Territory;
	skills: string[]; // skill ids of the lab
	languages: string;
	daysPerMonth: number;
	bio: string;
	unavailable: Period[];
}

export interface ReferentProfile extends ProfileInput {
	id: string;
	personId: string;
	name: string;
	email: string | null;
	skillLabels: string[];
	consentVersion: string;
	consentAt: string;
	withdrawnAt: string | null;
	erasureRequestedAt: string | null;
	level: Level;
	reasons: LevelReason[];
	next: string | null;
}

export interface DirectoryRow {
	id: string;
	name: string;
	directorate: string;
	service: string;
	territory: Territory;
	skills: string[];
	level: Level;
	daysPerMonth: number;
}

const LINK_TTL_MS = 365 * 24 * 60 * 60 * 1000;
/** An invitation mailed after an import works for 30 days; importing the file again re-invites whoever let it lapse. */
export const INVITATION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const DIRECTORY_PAGE_SIZE = 50;

// ——— Skills ———

export async function listSkills(db: Kysely<Database>, labId: string): Promise<Skill[]> {
	return db.selectFrom('network_skill').where('lab_id', '=', labId).select(['id', 'label']).orderBy('position').orderBy('label').execute();
}

/** Replaces the lab's list of skills by `labels` (kept ids for labels that stay). */
export async function saveSkills(db: Kysely<Database>, ctx: LabContext, labels: string[]): Promise<void> {
	authorize(ctx.role, 'network.manage');
	const clean = [...new Map(labels.map((l) => l.trim()).filter(Boolean).map((l) => [l.toLowerCase(), l])).values()];
	if (clean.some((l) => l.length > 80)) throw new DomainError('network.skillTooLong', 400, {}, 'skills');
	if (clean.length > 100) throw new DomainError('network.tooManySkills', 400, {}, 'skills');
	await inTransaction(db, async (trx) => {
		const existing = await listSkills(trx, ctx.lab.id);
		const byLabel = new Map(existing.map((s) => [s.label.toLowerCase(), s.id]));
		const keep = new Set<string>();
		for (const [i, label] of clean.entries()) {
			const id = byLabel.get(label.toLowerCase());
			if (id) {
				keep.add(id);
				await trx.updateTable('network_skill').set({ label, position: i }).where('id', '=', id).execute();
			} else {
				await trx.insertInto('network_skill').values({ id: newId(), lab_id: ctx.lab.id, label, position: i }).execute();
			}
		}
		const gone = existing.filter((s) => !keep.has(s.id)).map((s) => s.id);
		if (gone.length) await trx.deleteFrom('network_skill').where('id', 'in', gone).execute();
		await recordAudit(trx, { labId: ctx.lab.id, actorId: ctx.actor?.accountId ?? null, action: 'network.skills', subjectType: 'lab', subjectId: ctx.lab.id, summary: { count: clean.length } });
	});
}

// ——— Ladder ———

/**
 * What each person did, from recorded events that are over: facilitations by role, trainings
 * completed and given. A participant marked absent does not count. `personIds` limits the
 * query; without it every person recorded in the lab is counted in one grouped query.
 */
export async function ladderCounts(db: Kysely<Database>, labId: string, personIds?: string[]): Promise<Map<string, LadderCounts>> {
	let q = db
		.selectFrom('event_participant as ep')
		.innerJoin('event as e', 'e.id', 'ep.event_id')
		.where('ep.lab_id', '=', labId)
		.where('e.ends_at', '<=', nowIso())
		.where((eb) => eb.or([eb('ep.attended', 'is', null), eb('ep.attended', '=', 1)]))
		.where('ep.role', 'in', ['facilitator', 'co_facilitator', 'trainee', 'trainer']);
	if (personIds) {
		if (!personIds.length) return new Map();
		q = q.where('ep.person_id', 'in', personIds);
	} else {
		// Everyone recorded in the lab's events: cheaper than restricting to referents first, and
		// those who are not referents are simply never looked up.
		q = q.where('ep.person_id', 'is not', null);
	}
	// One row per person, the four counts summed in the database (fewer rows to carry back).
	const rows = await q
		.select('ep.person_id')
		.select([
			sql<number>`sum(case when ep.role = 'facilitator' then 1 else 0 end)`.as('f'),
			sql<number>`sum(case when ep.role = 'co_facilitator' then 1 else 0 end)`.as('c'),
			sql<number>`sum(case when ep.role = 'trainee' and e.kind = 'training' then 1 else 0 end)`.as('t'),
			sql<number>`sum(case when ep.role = 'trainer' and e.kind = 'training' then 1 else 0 end)`.as('g')
		])
		.groupBy('ep.person_id')
		.execute();
	const out = new Map<string, LadderCounts>();
	for (const r of rows) out.set(r.person_id!, { facilitated: toCount(r.f), coFacilitated: toCount(r.c), trainingsCompleted: toCount(r.t), trainingsGiven: toCount(r.g) });
	return out;
}

export async function levelsOf(db: Kysely<Database>, labId: string, personIds?: string[]): Promise<Map<string, Level>> {
	const counts = await ladderCounts(db, labId, personIds);
	return new Map([...counts].map(([id, c]) => [id, levelOf(c).level]));
}

// ——— Joining, profile, withdrawal ———

function checkProfile(input: ProfileInput, skills: Skill[]) {
	const known = new Set(skills.map((s) => s.id));
	if (input.skills.some((s) => !known.has(s))) throw new DomainError('network.unknownSkill', 400, {}, 'skills');
	for (const p of input.unavailable) if (p.to < p.from) throw new DomainError('network.periodReversed', 400, { from: p.from, to: p.to }, 'unavailable');
}

async function writeProfile(trx: Kysely<Database>, referentId: string, input: ProfileInput) {
	await trx.deleteFrom('referent_skill').where('referent_id', '=', referentId).execute();
	if (input.skills.length)
		await trx
			.insertInto('referent_skill')
			.values([...new Set(input.skills)].map((skill_id) => ({ referent_id: referentId, skill_id })))
			.execute();
	await trx.deleteFrom('referent_unavailable').where('referent_id', '=', referentId).execute();
	if (input.unavailable.length)
		await trx
			.insertInto('referent_unavailable')
			.values(input.unavailable.map((p) => ({ id: newId(), referent_id: referentId, from_day: p.from, to_day: p.to })))
			.execute();
}

/**
 * Creates (or updates, or re-activates) the referent profile of `personId` in `labId`. Only
 * called with the person's own consent: from their account or their invitation link.
 */
async function upsertReferent(trx: Kysely<Database>, labId: string, personId: string, input: ProfileInput, actorId: string | null): Promise<string> {
	checkProfile(input, await listSkills(trx, labId));
	const now = nowIso();
	const existing = await trx.selectFrom('referent').where('lab_id', '=', labId).where('person_id', '=', personId).select(['id', 'withdrawn_at']).executeTakeFirst();
	const fields = {
		directorate: input.directorate,
		service: input.service,
		territory: input.territory,
		languages: input.languages,
		days_per_month: input.daysPerMonth,
		bio: input.bio,
		updated_at: now
	};
	let id: string;
	if (existing) {
		id = existing.id;
		await trx
			.updateTable('referent')
			.set({ ...fields, consent_version: CONSENT_VERSION, consent_at: now, withdrawn_at: null, erasure_requested_at: null })
			.where('id', '=', id)
			.execute();
	} else {
		id = newId();
		await trx
			.insertInto('referent')
			.values({ id, lab_id: labId, person_id: personId, ...fields, consent_version: CONSENT_VERSION, consent_at: now, withdrawn_at: null, erasure_requested_at: null, created_at: now })
			.execute();
	}
	await writeProfile(trx, id, input);
	await recordAudit(trx, { labId, actorId, action: existing ? 'referent.consent' : 'referent.join', subjectType: 'referent', subjectId: id, summary: { consentVersion: CONSENT_VERSION } });
	return id;
}

/** A member joins the network (or updates their profile) with their explicit consent. */
export async function joinNetwork(db: Kysely<Database>, ctx: LabContext, input: ProfileInput, consent: boolean): Promise<string> {
	authorize(ctx.role, 'network.join');
	if (!consent) throw new DomainError('network.consentRequired', 400, {}, 'consent');
	return inTransaction(db, (trx) => upsertReferent(trx, ctx.lab.id, ctx.actor!.personId, input, ctx.actor!.accountId));
}

/** A referent who had withdrawn joins again through their personal link (a new consent). */
export async function consentAgain(db: Kysely<Database>, labId: string, referentId: string, input: ProfileInput, consent: boolean): Promise<string> {
	if (!consent) throw new DomainError('network.consentRequired', 400, {}, 'consent');
	return inTransaction(db, async (trx) => {
		const r = await trx.selectFrom('referent').where('id', '=', referentId).where('lab_id', '=', labId).select('person_id').executeTakeFirst();
		if (!r) throw new DomainError('network.notFound', 404);
		return upsertReferent(trx, labId, r.person_id, input, null);
	});
}

/** The caller's own profile in this lab, if they have one (withdrawn or not). */
export async function myReferentId(db: Kysely<Database>, ctx: LabContext): Promise<string | null> {
	authorize(ctx.role, 'network.join');
	const row = await db.selectFrom('referent').where('lab_id', '=', ctx.lab.id).where('person_id', '=', ctx.actor!.personId).select('id').executeTakeFirst();
	return row?.id ?? null;
}

/** Updates a profile without renewing consent (the person or staff editing it). */
export async function updateProfile(db: Kysely<Database>, labId: string, referentId: string, input: ProfileInput): Promise<void> {
	await inTransaction(db, async (trx) => {
		checkProfile(input, await listSkills(trx, labId));
		const r = await trx
			.updateTable('referent')
			.set({
				directorate: input.directorate,
				service: input.service,
				territory: input.territory,
				languages: input.languages,
				days_per_month: input.daysPerMonth,
				bio: input.bio,
				updated_at: nowIso()
			})
			.where('id', '=', referentId)
			.where('lab_id', '=', labId)
			.where('withdrawn_at', 'is', null)
			.executeTakeFirst();
		if (!Number(r.numUpdatedRows)) throw new DomainError('network.notFound', 404);
		await writeProfile(trx, referentId, input);
	});
}

/** Withdrawing hides the profile at once: from the directory, from matching, from answers. */
export async function withdraw(db: Kysely<Database>, labId: string, referentId: string, actorId: string | null): Promise<void> {
	await inTransaction(db, async (trx) => {
		const now = nowIso();
		const r = await trx
			.updateTable('referent')
			.set({ withdrawn_at: now, updated_at: now })
			.where('id', '=', referentId)
			.where('lab_id', '=', labId)
			.where('withdrawn_at', 'is', null)
			.executeTakeFirst();
		if (!Number(r.numUpdatedRows)) return;
		// Pending answer links stop working.
		await trx
			.updateTable('call_answer')
			.set({ token_hash: null })
			.where('referent_id', '=', referentId)
			.where('answered_at', 'is', null)
			.execute();
		await recordAudit(trx, { labId, actorId, action: 'referent.withdraw', subjectType: 'referent', subjectId: referentId, summary: {} });
	});
}

/** Asking for erasure also withdraws; a coordinator then carries it out. */
export async function requestErasure(db: Kysely<Database>, labId: string, referentId: string, actorId: string | null): Promise<void> {
	await inTransaction(db, async (trx) => {
		await withdraw(trx, labId, referentId, actorId);
		await trx.updateTable('referent').set({ erasure_requested_at: nowIso() }).where('id', '=', referentId).where('lab_id', '=', labId).execute();
		await recordAudit(trx, { labId, actorId, action: 'referent.erasureRequested', subjectType: 'referent', subjectId: referentId, summary: {} });
	});
}

/**
 * Real deletion of a referent's personal data in this lab: the profile, skills, periods and
 * links go; answers and assignments keep only the referent's id, which no longer leads to
 * anyone; event records name them "anonymous"; the person record goes too unless it belongs
 * to an account or another lab's profile.
 */
export async function eraseReferent(db: Kysely<Database>, ctx: LabContext, referentId: string): Promise<void> {
	authorize(ctx.role, 'network.erase');
	await inTransaction(db, async (trx) => {
		const r = await trx.selectFrom('referent').where('id', '=', referentId).where('lab_id', '=', ctx.lab.id).select(['id', 'person_id']).executeTakeFirst();
		if (!r) throw new DomainError('network.notFound', 404);
		const person = await trx.selectFrom('person').where('id', '=', r.person_id).select(['id', 'email']).executeTakeFirstOrThrow();
		await trx.updateTable('call_answer').set({ token_hash: null }).where('referent_id', '=', referentId).execute();
		await trx
			.updateTable('event_participant')
			.set({ name: `Anonyme ${referentId.slice(0, 8)}`, organisation: '', person_id: null })
			.where('lab_id', '=', ctx.lab.id)
			.where('person_id', '=', r.person_id)
			.execute();
		await trx.updateTable('experiment_role').set({ person_name: `Anonyme ${referentId.slice(0, 8)}`, person_id: null }).where('lab_id', '=', ctx.lab.id).where('person_id', '=', r.person_id).execute();
		await trx.deleteFrom('referent').where('id', '=', referentId).execute();
		if (person.email) await trx.deleteFrom('network_invitation').where('lab_id', '=', ctx.lab.id).where('email', '=', person.email).execute();
		const account = await trx.selectFrom('account').where('person_id', '=', person.id).select('id').executeTakeFirst();
		const elsewhere = await trx.selectFrom('referent').where('person_id', '=', person.id).select('id').executeTakeFirst();
		if (!account && !elsewhere) await trx.deleteFrom('person').where('id', '=', person.id).execute();
		await recordAudit(trx, { labId: ctx.lab.id, actorId: ctx.actor?.accountId ?? null, action: 'referent.erase', subjectType: 'referent', subjectId: referentId, summary: {} });
	});
}

// ——— Reading ———

/** The lab's active referents (consent given, not withdrawn), by name: to pick someone from the network. */
export async function activeReferents(db: Kysely<Database>, labId: string): Promise<{ referentId: string; personId: string; name: string }[]> {
	return db
		.selectFrom('referent as r')
		.innerJoin('person as p', 'p.id', 'r.person_id')
		.where('r.lab_id', '=', labId)
		.where('r.withdrawn_at', 'is', null)
		.select(['r.id as referentId', 'p.id as personId', 'p.name'])
		.orderBy('p.name')
		.limit(2000)
		.execute();
}

export async function getProfile(db: Kysely<Database>, labId: string, referentId: string): Promise<ReferentProfile> {
	const r = await db
		.selectFrom('referent as r')
		.innerJoin('person as p', 'p.id', 'r.person_id')
		.where('r.id', '=', referentId)
		.where('r.lab_id', '=', labId)
		.selectAll('r')
		.select(['p.name', 'p.email'])
		.executeTakeFirst();
	if (!r) throw new DomainError('network.notFound', 404);
	const [skills, unavailable, counts] = await Promise.all([
		db
			.selectFrom('referent_skill as rs')
			.innerJoin('network_skill as s', 's.id', 'rs.skill_id')
			.where('rs.referent_id', '=', referentId)
			.select(['s.id', 's.label'])
			.orderBy('s.position')
			.execute(),
		db.selectFrom('referent_unavailable').where('referent_id', '=', referentId).select(['from_day', 'to_day']).orderBy('from_day').execute(),
		ladderCounts(db, labId, [r.person_id])
	]);
	const c = counts.get(r.person_id) ?? EMPTY_COUNTS;
	const { level, reasons } = levelOf(c);
	return {
		id: r.id,
		personId: r.person_id,
		name: r.name,
		email: r.email,
		directorate: r.directorate,
		service: r.service,
		territory: r.territory as Territory,
		skills: skills.map((s) => s.id),
		skillLabels: skills.map((s) => s.label),
		languages: r.languages,
		daysPerMonth: r.days_per_month,
		bio: r.bio,
		unavailable: unavailable.map((u) => ({ from: u.from_day, to: u.to_day })),
		consentVersion: r.consent_version,
		consentAt: r.consent_at,
		withdrawnAt: r.withdrawn_at,
		erasureRequestedAt: r.erasure_requested_at,
		level,
		reasons,
		next: nextStep(c)
	};
}

export interface HistoryRow {
	eventId: string;
	title: string;
	kind: string;
	startsAt: string;
	role: string;
	attended: number | null;
}

/** The events a person was recorded at, newest first: the evidence for their level. */
export async function historyOf(db: Kysely<Database>, labId: string, personId: string): Promise<HistoryRow[]> {
	const rows = await db
		.selectFrom('event_participant as ep')
		.innerJoin('event as e', 'e.id', 'ep.event_id')
		.where('ep.lab_id', '=', labId)
		.where('ep.person_id', '=', personId)
		.select(['e.id', 'e.title', 'e.kind', 'e.starts_at', 'ep.role', 'ep.attended'])
		.orderBy('e.starts_at', 'desc')
		.limit(200)
		.execute();
	return rows.map((r) => ({ eventId: r.id, title: r.title, kind: r.kind, startsAt: r.starts_at, role: r.role, attended: r.attended }));
}

/** A staff view of one referent: profile, level with its evidence, calls. */
export async function viewReferent(db: Kysely<Database>, ctx: LabContext, referentId: string) {
	authorize(ctx.role, 'network.view');
	const profile = await getProfile(db, ctx.lab.id, referentId);
	if (profile.withdrawnAt && !profile.erasureRequestedAt) throw new DomainError('network.notFound', 404);
	const [history, calls] = await Promise.all([
		historyOf(db, ctx.lab.id, profile.personId),
		db
			.selectFrom('call_answer as a')
			.innerJoin('network_call as c', 'c.id', 'a.call_id')
			.innerJoin('event as e', 'e.id', 'c.event_id')
			.leftJoin('call_assignment as s', (j) => j.onRef('s.call_id', '=', 'a.call_id').onRef('s.referent_id', '=', 'a.referent_id'))
			.where('a.referent_id', '=', referentId)
			.select(['c.id', 'e.title', 'e.starts_at', 'a.answer', 'a.answered_at', 's.role'])
			.orderBy('e.starts_at', 'desc')
			.limit(100)
			.execute()
	]);
	return { profile, history, calls };
}

export interface DirectoryFilter {
	q?: string;
	skill?: string;
	territory?: Territory;
	directorate?: string;
	level?: Level;
	availableOn?: string; // YYYY-MM-DD
	page?: number;
}

/**
 * The directory of active referents (consent given, not withdrawn). Text filters run in SQL;
 * the level, derived from events, is filtered after one grouped ladder query.
 */
export async function listDirectory(
	db: Kysely<Database>,
	ctx: LabContext,
	f: DirectoryFilter
): Promise<{ rows: DirectoryRow[]; total: number; directorates: string[] }> {
	authorize(ctx.role, 'network.view');
	let q = db
		.selectFrom('referent as r')
		.innerJoin('person as p', 'p.id', 'r.person_id')
		.where('r.lab_id', '=', ctx.lab.id)
		.where('r.withdrawn_at', 'is', null);
	if (f.territory) q = q.where('r.territory', '=', f.territory);
	if (f.directorate) q = q.where('r.directorate', '=', f.directorate);
	if (f.skill) {
		const skill = f.skill;
		q = q.where((eb) => eb.exists(eb.selectFrom('referent_skill as rs').whereRef('rs.referent_id', '=', 'r.id').where('rs.skill_id', '=', skill).select('rs.skill_id')));
	}
	if (f.availableOn) q = availableOn(q, f.availableOn);
	if (f.q?.trim()) {
		const pat = `%${likeEscape(f.q.trim().toLowerCase())}%`;
		q = q.where((eb) => eb.or([sql<boolean>`lower(p.name) like ${pat} escape '\\'`, sql<boolean>`lower(r.service) like ${pat} escape '\\'`]));
	}
	// Sorted here, in French order (« Élodie » next to « Emma », not after « Yves »): the same on
	// SQLite and PostgreSQL, whatever their collations.
	const all = (await q.select(['r.id', 'r.person_id', 'p.name']).execute()).sort((a, b) => frenchOrder.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const levels = await levelsOf(db, ctx.lab.id);
	const levelOfPerson = (pid: string): Level => levels.get(pid) ?? 'observer';
	const filtered = f.level ? all.filter((r) => levelOfPerson(r.person_id) === f.level) : all;
	const page = Math.max(1, f.page ?? 1);
	const slice = filtered.slice((page - 1) * DIRECTORY_PAGE_SIZE, page * DIRECTORY_PAGE_SIZE);
	const ids = slice.map((r) => r.id);
	const [details, skills, directorates] = await Promise.all([
		ids.length ? db.selectFrom('referent').where('id', 'in', ids).select(['id', 'directorate', 'service', 'territory', 'days_per_month']).execute() : [],
		ids.length
			? db.selectFrom('referent_skill as rs').innerJoin('network_skill as s', 's.id', 'rs.skill_id').where('rs.referent_id', 'in', ids).select(['rs.referent_id', 's.label']).orderBy('s.position').execute()
			: [],
		db.selectFrom('referent').where('lab_id', '=', ctx.lab.id).where('withdrawn_at', 'is', null).where('directorate', '!=', '').select('directorate').distinct().execute()
	]);
	directorates.sort((a, b) => frenchOrder.compare(a.directorate, b.directorate));
	const byId = new Map(details.map((d) => [d.id, d]));
	const skillsOf = new Map<string, string[]>();
	for (const s of skills) skillsOf.set(s.referent_id, [...(skillsOf.get(s.referent_id) ?? []), s.label]);
	return {
		rows: slice.map((r) => {
			const d = byId.get(r.id)!;
			return {
				id: r.id,
				name: r.name,
				directorate: d.directorate,
				service: d.service,
				territory: d.territory as Territory,
				skills: skillsOf.get(r.id) ?? [],
				level: levelOfPerson(r.person_id),
				daysPerMonth: d.days_per_month
			};
		}),
		total: filtered.length,
		directorates: directorates.map((d) => d.directorate)
	};
}

const frenchOrder = new Intl.Collator('fr');

/** Keeps referents who are not in an unavailable period on `day` and give some days a month. */
export function availableOn<Q extends { where: any }>(q: Q, day: string): Q {
	return q
		.where('r.days_per_month', '>', 0)
		.where((eb: any) =>
			eb.not(
				eb.exists(
					eb
						.selectFrom('referent_unavailable as u')
						.whereRef('u.referent_id', '=', 'r.id')
						.where('u.from_day', '<=', day)
						.where('u.to_day', '>=', day)
						.select('u.id')
				)
			)
		) as Q;
}

export async function erasureRequests(db: Kysely<Database>, ctx: LabContext): Promise<{ id: string; name: string; requestedAt: string }[]> {
	authorize(ctx.role, 'network.erase');
	const rows = await db
		.selectFrom('referent as r')
		.innerJoin('person as p', 'p.id', 'r.person_id')
		.where('r.lab_id', '=', ctx.lab.id)
		.where('r.erasure_requested_at', 'is not', null)
		.select(['r.id', 'p.name', 'r.erasure_requested_at'])
		.orderBy('r.erasure_requested_at')
		.execute();
	return rows.map((r) => ({ id: r.id, name: r.name, requestedAt: r.erasure_requested_at! }));
}

export async function networkCounts(db: Kysely<Database>, labId: string): Promise<{ active: number; pendingInvitations: number }> {
	const [a, i] = await Promise.all([
		db.selectFrom('referent').where('lab_id', '=', labId).where('withdrawn_at', 'is', null).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
		db.selectFrom('network_invitation').where('lab_id', '=', labId).where('accepted_at', 'is', null).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
	]);
	return { active: toCount(a.n), pendingInvitations: toCount(i.n) };
}

/** Everything Labo holds about a referent in this lab, for them to download. */
export async function exportReferentData(db: Kysely<Database>, lab: LabSummary, referentId: string) {
	const profile = await getProfile(db, lab.id, referentId);
	const [history, answers, assignments] = await Promise.all([
		historyOf(db, lab.id, profile.personId),
		db
			.selectFrom('call_answer as a')
			.innerJoin('network_call as c', 'c.id', 'a.call_id')
			.innerJoin('event as e', 'e.id', 'c.event_id')
			.where('a.referent_id', '=', referentId)
			.select(['e.title', 'e.starts_at', 'a.answer', 'a.answered_at', 'a.sent_at'])
			.execute(),
		db
			.selectFrom('call_assignment as s')
			.innerJoin('network_call as c', 'c.id', 's.call_id')
			.innerJoin('event as e', 'e.id', 'c.event_id')
			.where('s.referent_id', '=', referentId)
			.select(['e.title', 'e.starts_at', 's.role', 's.confirmed_at'])
			.execute()
	]);
	return {
		lab: lab.name,
		exportedAt: nowIso(),
		person: { name: profile.name, email: profile.email },
		consent: { version: profile.consentVersion, givenAt: profile.consentAt, withdrawnAt: profile.withdrawnAt, erasureRequestedAt: profile.erasureRequestedAt },
		profile: {
			directorate: profile.directorate,
			service: profile.service,
			territory: profile.territory,
			skills: profile.skillLabels,
			languages: profile.languages,
			daysPerMonth: profile.daysPerMonth,
			bio: profile.bio,
			unavailable: profile.unavailable
		},
		level: profile.level,
		events: history,
		callAnswers: answers,
		assignments
	};
}

// ——— Personal links (for referents without an account) ———

export async function issueReferentLink(db: Kysely<Database>, referentId: string): Promise<string> {
	const token = newToken();
	const now = Date.now();
	await db
		.insertInto('referent_link')
		.values({ token_hash: hashToken(token), referent_id: referentId, created_at: new Date(now).toISOString(), expires_at: new Date(now + LINK_TTL_MS).toISOString() })
		.execute();
	return token;
}

/** The referent a personal link opens, in this lab; null when unknown or expired. */
export async function referentByLink(db: Kysely<Database>, labId: string, token: string): Promise<string | null> {
	if (!token) return null;
	const row = await db
		.selectFrom('referent_link as l')
		.innerJoin('referent as r', 'r.id', 'l.referent_id')
		.where('l.token_hash', '=', hashToken(token))
		.where('r.lab_id', '=', labId)
		.where('l.expires_at', '>', nowIso())
		.select('r.id')
		.executeTakeFirst();
	return row?.id ?? null;
}

// ——— Invitations from an import ———

export interface InvitationProfile {
	directorate: string;
	service: string;
	territory: Territory;
	skills: string[]; // labels
	languages: string;
	daysPerMonth: number;
}

export async function invitationByToken(db: Kysely<Database>, labId: string, token: string) {
	const row = await db
		.selectFrom('network_invitation')
		.where('token_hash', '=', hashToken(token))
		.where('lab_id', '=', labId)
		.selectAll()
		.executeTakeFirst();
	if (!row) return null;
	return {
		id: row.id,
		name: row.name,
		email: row.email,
		acceptedAt: row.accepted_at,
		expired: !row.expires_at || row.expires_at <= nowIso(),
		profile: JSON.parse(row.profile) as InvitationProfile
	};
}

/** An invited agent consents through their link: their person record and profile are created. */
export async function acceptNetworkInvitation(db: Kysely<Database>, labId: string, token: string, input: ProfileInput, consent: boolean): Promise<string> {
	if (!consent) throw new DomainError('network.consentRequired', 400, {}, 'consent');
	return inTransaction(db, async (trx) => {
		const inv = await invitationByToken(trx, labId, token);
		if (!inv) throw new DomainError('network.invitationInvalid', 404);
		if (inv.acceptedAt) throw new DomainError('network.invitationUsed', 409);
		if (inv.expired) throw new DomainError('network.invitationExpired', 410);
		const email = normaliseEmail(inv.email);
		const now = nowIso();
		let personId = (await trx.selectFrom('account').where('email', '=', email).select('person_id').executeTakeFirst())?.person_id;
		personId ??= (await trx.selectFrom('person').where('email', '=', email).select('id').orderBy('created_at').executeTakeFirst())?.id;
		if (!personId) {
			personId = newId();
			await trx.insertInto('person').values({ id: personId, name: inv.name, email, organisation: input.directorate || null, created_at: now, updated_at: now }).execute();
		}
		const id = await upsertReferent(trx, labId, personId, input, null);
		await trx.updateTable('network_invitation').set({ accepted_at: now, updated_at: now }).where('id', '=', inv.id).execute();
		return id;
	});
}
