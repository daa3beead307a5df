/** Reading the network: a referent's profile and history, the directory with its filters, counts and exports. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { likeEscape, nowIso, toCount } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import type { LabContext, LabSummary } from '../labs';
import { personEmail, personName } from '../auth';
import { eventRows, eventsOfPerson } from '../events';
import { EMPTY_COUNTS, levelOf, nextStep, type Answer, type AssignRole, type Level, type Territory } from '$lib/shared/network';
import type { EventKind, ParticipantRole } from '$lib/shared/events';
import { DIRECTORY_PAGE_SIZE, type DirectoryRow, type ReferentProfile, ladderCounts, levelsOf } from './network.service';

/** The lab's active referents (consent given, not withdrawn), by name: to pick someone from the network. */
export async function activeReferents(db: Kysely<Database>, labId: string): Promise<{ referentId: string; personId: string; name: string }[]> {
	const rows = await db
		.selectFrom('referent as r')
		.where('r.lab_id', '=', labId)
		.where('r.withdrawn_at', 'is', null)
		.select((eb) => ['r.id as referentId', 'r.person_id as personId', personName(eb.ref('r.person_id')).as('name')])
		.orderBy('name')
		.limit(2000)
		.execute();
	return rows.map((r) => ({ ...r, name: r.name ?? '' }));
}

export async function getProfile(db: Kysely<Database>, labId: string, referentId: string): Promise<ReferentProfile> {
	const r = await db
		.selectFrom('referent as r')
		.where('r.id', '=', referentId)
		.where('r.lab_id', '=', labId)
		.selectAll('r')
		.select((eb) => [personName(eb.ref('r.person_id')).as('name'), personEmail(eb.ref('r.person_id')).as('email')])
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
		name: r.name ?? '',
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
	kind: EventKind;
	startsAt: string;
	role: ParticipantRole;
	attended: number | null;
}

/** The events a person was recorded at, newest first: the evidence for their level. */
export async function historyOf(db: Kysely<Database>, labId: string, personId: string): Promise<HistoryRow[]> {
	const rows = await eventsOfPerson(db, labId, personId, 200);
	return rows.map((r) => ({
		eventId: r.id,
		title: r.title,
		kind: r.kind as EventKind,
		startsAt: r.starts_at,
		role: r.role as ParticipantRole,
		attended: r.attended
	}));
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
			.innerJoin(eventRows('e'), 'e.id', 'c.event_id')
			.leftJoin('call_assignment as s', (j) => j.onRef('s.call_id', '=', 'a.call_id').onRef('s.referent_id', '=', 'a.referent_id'))
			.where('a.referent_id', '=', referentId)
			.select(['c.id', 'e.title', 'e.starts_at', 'a.answer', 'a.answered_at', 's.role'])
			.orderBy('e.starts_at', 'desc')
			.limit(100)
			.execute()
			.then((rows) => rows.map((r) => ({ ...r, answer: r.answer as Answer | null, role: r.role as AssignRole | null })))
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
	let q = db.selectFrom('referent as r').where('r.lab_id', '=', ctx.lab.id).where('r.withdrawn_at', 'is', null);
	if (f.territory) q = q.where('r.territory', '=', f.territory);
	if (f.directorate) q = q.where('r.directorate', '=', f.directorate);
	if (f.skill) {
		const skill = f.skill;
		q = q.where((eb) =>
			eb.exists(eb.selectFrom('referent_skill as rs').whereRef('rs.referent_id', '=', 'r.id').where('rs.skill_id', '=', skill).select('rs.skill_id'))
		);
	}
	if (f.availableOn) q = availableOn(q, f.availableOn);
	if (f.q?.trim()) {
		const pat = `%${likeEscape(f.q.trim().toLowerCase())}%`;
		q = q.where((eb) =>
			eb.or([sql<boolean>`lower(${personName(eb.ref('r.person_id'))}) like ${pat} escape '\\'`, sql<boolean>`lower(r.service) like ${pat} escape '\\'`])
		);
	}
	// Sorted here, in French order (« Élodie » next to « Emma », not after « Yves »): the same on
	// SQLite and PostgreSQL, whatever their collations.
	const all = (await q.select((eb) => ['r.id', 'r.person_id', personName(eb.ref('r.person_id')).as('name')]).execute())
		.map((r) => ({ ...r, name: r.name ?? '' }))
		.sort((a, b) => frenchOrder.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const levels = await levelsOf(db, ctx.lab.id);
	const levelOfPerson = (pid: string): Level => levels.get(pid) ?? 'observer';
	const filtered = f.level ? all.filter((r) => levelOfPerson(r.person_id) === f.level) : all;
	const page = Math.max(1, f.page ?? 1);
	const slice = filtered.slice((page - 1) * DIRECTORY_PAGE_SIZE, page * DIRECTORY_PAGE_SIZE);
	const ids = slice.map((r) => r.id);
	const [details, skills, directorates] = await Promise.all([
		ids.length ? db.selectFrom('referent').where('id', 'in', ids).select(['id', 'directorate', 'service', 'territory', 'days_per_month']).execute() : [],
		ids.length
			? db
					.selectFrom('referent_skill as rs')
					.innerJoin('network_skill as s', 's.id', 'rs.skill_id')
					.where('rs.referent_id', 'in', ids)
					.select(['rs.referent_id', 's.label'])
					.orderBy('s.position')
					.execute()
			: [],
		db
			.selectFrom('referent')
			.where('lab_id', '=', ctx.lab.id)
			.where('withdrawn_at', 'is', null)
			.where('directorate', '!=', '')
			.select('directorate')
			.distinct()
			.execute()
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
		.where('r.lab_id', '=', ctx.lab.id)
		.where('r.erasure_requested_at', 'is not', null)
		.select((eb) => ['r.id', personName(eb.ref('r.person_id')).as('name'), 'r.erasure_requested_at'])
		.orderBy('r.erasure_requested_at')
		.execute();
	return rows.map((r) => ({ id: r.id, name: r.name ?? '', requestedAt: r.erasure_requested_at! }));
}

export async function networkCounts(db: Kysely<Database>, labId: string): Promise<{ active: number; pendingInvitations: number }> {
	const [a, i] = await Promise.all([
		db
			.selectFrom('referent')
			.where('lab_id', '=', labId)
			.where('withdrawn_at', 'is', null)
			.select((eb) => eb.fn.countAll().as('n'))
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('network_invitation')
			.where('lab_id', '=', labId)
			.where('accepted_at', 'is', null)
			.select((eb) => eb.fn.countAll().as('n'))
			.executeTakeFirstOrThrow()
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
			.innerJoin(eventRows('e'), 'e.id', 'c.event_id')
			.where('a.referent_id', '=', referentId)
			.select(['e.title', 'e.starts_at', 'a.answer', 'a.answered_at', 'a.sent_at'])
			.execute(),
		db
			.selectFrom('call_assignment as s')
			.innerJoin('network_call as c', 'c.id', 's.call_id')
			.innerJoin(eventRows('e'), 'e.id', 'c.event_id')
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
