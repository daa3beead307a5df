import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, newId, nowIso, toCount } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import { enqueueMail } from '../mail';
import { networkMails } from '../mail';
import { hashToken, newToken } from '../auth';
import { eventRecord, eventRows, facilitationCounts, findEventHeader, toICalendar } from '../events';
import { personEmail, personName } from '../auth';
import type { LabContext } from '../labs';
import { availableOn } from './directory';
import { issueReferentLink } from './invitations';
import { levelsOf, listSkills } from './network.service';
import { proposeAssignment, type Candidate, type Proposal } from './assign';
import { isoToParis } from '$lib/shared/time';
import { isAnswer, isLevel, levelRank, type Answer, type AssignRole, type CallState, type Level } from '$lib/shared/network';
import { callTallies } from './tallies';

export interface CallInput {
	eventId: string;
	needed: number;
	minLevel: Level;
	skills: string[];
	deadline: string; // ISO UTC
	message: string;
	pairNovices: boolean;
}

export interface CallSummary {
	id: string;
	eventId: string;
	eventTitle: string;
	startsAt: string;
	needed: number;
	state: CallState;
	deadline: string;
	invited: number;
	answered: number;
	yes: number;
	assigned: number;
}

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

async function loadCall(db: Kysely<Database>, labId: string, id: string) {
	const row = await db
		.selectFrom('network_call as c')
		.innerJoin(eventRows('e'), 'e.id', 'c.event_id')
		.where('c.id', '=', id)
		.where('c.lab_id', '=', labId)
		.selectAll('c')
		.select(['e.title as event_title', 'e.starts_at', 'e.ends_at', 'e.place', 'e.kind'])
		.executeTakeFirst();
	if (!row) throw new DomainError('network.callNotFound', 404);
	return { ...row, skillIds: JSON.parse(row.skills) as string[], minLevel: (isLevel(row.min_level) ? row.min_level : 'facilitator') as Level };
}

export async function createCall(db: Kysely<Database>, ctx: LabContext, input: CallInput): Promise<string> {
	authorize(ctx.role, 'network.manage');
	const event = await findEventHeader(db, ctx.lab.id, input.eventId);
	if (!event) throw new DomainError('network.eventUnknown', 400, {}, 'eventId');
	if (event.cancelled_at) throw new DomainError('event.alreadyCancelled', 409, {}, 'eventId');
	if (input.deadline > event.starts_at) throw new DomainError('network.deadlineAfterEvent', 400, {}, 'deadline');
	const known = new Set((await listSkills(db, ctx.lab.id)).map((s) => s.id));
	if (input.skills.some((s) => !known.has(s))) throw new DomainError('network.unknownSkill', 400, {}, 'skills');
	const id = newId();
	await inTransaction(db, async (trx) => {
		await trx
			.insertInto('network_call')
			.values({
				id,
				lab_id: ctx.lab.id,
				event_id: input.eventId,
				needed: input.needed,
				min_level: input.minLevel,
				pair_novices: input.pairNovices ? 1 : 0,
				skills: JSON.stringify([...new Set(input.skills)]),
				deadline: input.deadline,
				message: input.message,
				state: 'draft',
				sent_at: null,
				created_by: ctx.actor?.accountId ?? null,
				created_at: nowIso()
			})
			.execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'call.create',
			subjectType: 'call',
			subjectId: id,
			summary: { needed: input.needed }
		});
	});
	return id;
}

export interface MatchRow {
	referentId: string;
	personId: string;
	name: string;
	email: string;
	level: Level;
}

/**
 * Who a call can go to: active referents (consent given, not withdrawn) with an e-mail, every
 * required skill, not unavailable on the event's day, and with days left that month (their
 * assignments that month below the days they give). Split by the required level.
 */
export async function matchCall(db: Kysely<Database>, labId: string, callId: string): Promise<{ atLevel: MatchRow[]; novices: MatchRow[] }> {
	const call = await loadCall(db, labId, callId);
	const day = isoToParis(call.starts_at).slice(0, 10);
	const month = day.slice(0, 7);
	let q = db
		.selectFrom('referent as r')
		.where('r.lab_id', '=', labId)
		.where('r.withdrawn_at', 'is', null)
		.where((eb) => eb(personEmail(eb.ref('r.person_id')), 'is not', null));
	for (const skill of call.skillIds)
		q = q.where((eb) =>
			eb.exists(eb.selectFrom('referent_skill as rs').whereRef('rs.referent_id', '=', 'r.id').where('rs.skill_id', '=', skill).select('rs.skill_id'))
		);
	q = availableOn(q, day);
	// Days already given that month, through assignments to other calls.
	const monthStart = `${month}-01`;
	const monthEnd = `${month}-31T23:59:59.999Z`;
	const used = db
		.selectFrom('call_assignment as s')
		.innerJoin('network_call as c2', 'c2.id', 's.call_id')
		.innerJoin(eventRows('e2'), 'e2.id', 'c2.event_id')
		.where('c2.lab_id', '=', labId)
		.where('c2.id', '!=', callId)
		.where('e2.starts_at', '>=', monthStart)
		.where('e2.starts_at', '<=', monthEnd)
		.select('s.referent_id')
		.select((eb) => eb.fn.countAll().as('n'))
		.groupBy('s.referent_id')
		.as('u');
	const withDays = q.leftJoin(used, (j) => j.onRef('u.referent_id', '=', 'r.id')).where(sql`coalesce(u.n, 0)`, '<', sql.ref('r.days_per_month'));
	const rows = await withDays
		.select((eb) => ['r.id', 'r.person_id', personName(eb.ref('r.person_id')).as('name'), personEmail(eb.ref('r.person_id')).as('email')])
		.orderBy('name')
		.execute();
	const levels = await levelsOf(db, labId);
	const all = rows.map((r) => ({
		referentId: r.id,
		personId: r.person_id,
		name: r.name ?? '',
		email: r.email!,
		level: levels.get(r.person_id) ?? ('observer' as Level)
	}));
	return {
		atLevel: all.filter((r) => levelRank(r.level) >= levelRank(call.minLevel)),
		novices: call.pair_novices ? all.filter((r) => levelRank(r.level) < levelRank(call.minLevel)) : []
	};
}

const answerUrl = (origin: string, slug: string, token: string, a: Answer) => `${origin}/l/${slug}/network/answer/${token}?r=${a}`;
const manageUrl = (origin: string, slug: string, token: string) => `${origin}/l/${slug}/network/me/${token}`;

/**
 * Sends the call to every match not yet asked, each with one-time answer links. Returns how
 * many were found at the required level so the page can say when it is fewer than needed.
 */
export async function sendCall(
	db: Kysely<Database>,
	ctx: LabContext,
	callId: string,
	origin: string
): Promise<{ sent: number; atLevel: number; needed: number }> {
	authorize(ctx.role, 'network.manage');
	return inTransaction(db, async (trx) => {
		const call = await loadCall(trx, ctx.lab.id, callId);
		if (call.state === 'cancelled') throw new DomainError('network.callClosed', 409);
		if (call.deadline < nowIso()) throw new DomainError('network.deadlinePassed', 409);
		const { atLevel, novices } = await matchCall(trx, ctx.lab.id, callId);
		const asked = new Set((await trx.selectFrom('call_answer').where('call_id', '=', callId).select('referent_id').execute()).map((r) => r.referent_id));
		let sent = 0;
		for (const m of [...atLevel, ...novices]) {
			if (asked.has(m.referentId)) continue;
			const token = newToken();
			await trx
				.insertInto('call_answer')
				.values({ id: newId(), call_id: callId, referent_id: m.referentId, token_hash: hashToken(token), answer: null, answered_at: null, sent_at: nowIso() })
				.execute();
			const manage = await issueReferentLink(trx, m.referentId);
			const mail = networkMails.call({
				name: m.name,
				labName: ctx.lab.name,
				event: call.event_title,
				startsAt: call.starts_at,
				place: call.place,
				deadline: call.deadline,
				message: call.message,
				yes: answerUrl(origin, ctx.lab.slug, token, 'yes'),
				maybe: answerUrl(origin, ctx.lab.slug, token, 'maybe'),
				no: answerUrl(origin, ctx.lab.slug, token, 'no'),
				manageUrl: manageUrl(origin, ctx.lab.slug, manage)
			});
			await enqueueMail(trx, { labId: ctx.lab.id, to: m.email, ...mail });
			sent++;
		}
		await trx
			.updateTable('network_call')
			.set({ state: call.state === 'draft' ? 'open' : call.state, sent_at: call.sent_at ?? nowIso() })
			.where('id', '=', callId)
			.execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'call.send',
			subjectType: 'call',
			subjectId: callId,
			summary: { sent, atLevel: atLevel.length }
		});
		return { sent, atLevel: atLevel.length, needed: call.needed };
	});
}

/** Facilitations per person from a date on (planned ones included): the load to spread. */
async function loads(db: Kysely<Database>, labId: string, personIds: string[], since: string): Promise<Map<string, number>> {
	return facilitationCounts(db, labId, personIds, { from: since });
}

export interface CallDetail {
	id: string;
	event: { id: string; title: string; startsAt: string; place: string };
	needed: number;
	minLevel: Level;
	pairNovices: boolean;
	skills: string[];
	deadline: string;
	message: string;
	state: CallState;
	sentAt: string | null;
	answers: (Candidate & { answeredAt: string | null; assigned: AssignRole | null })[];
	proposal: Proposal;
	match: { atLevel: number; novices: number; names: string[] };
}

export async function getCall(db: Kysely<Database>, ctx: LabContext, callId: string): Promise<CallDetail> {
	authorize(ctx.role, 'network.manage');
	const call = await loadCall(db, ctx.lab.id, callId);
	const [rows, skills, assigned] = await Promise.all([
		db
			.selectFrom('call_answer as a')
			.innerJoin('referent as r', 'r.id', 'a.referent_id')
			.where('a.call_id', '=', callId)
			.select((eb) => ['a.referent_id', 'a.answer', 'a.answered_at', 'r.person_id', 'r.withdrawn_at', personName(eb.ref('r.person_id')).as('name')])
			.orderBy('name')
			.execute(),
		listSkills(db, ctx.lab.id),
		db.selectFrom('call_assignment').where('call_id', '=', callId).select(['referent_id', 'role']).execute()
	]);
	const active = rows.filter((r) => !r.withdrawn_at);
	const personIds = active.map((r) => r.person_id);
	const [levels, load] = await Promise.all([
		levelsOf(db, ctx.lab.id, personIds),
		loads(db, ctx.lab.id, personIds, new Date(Date.now() - YEAR_MS).toISOString())
	]);
	const assignedOf = new Map(assigned.map((a) => [a.referent_id, a.role as AssignRole]));
	const answers = active.map((r) => ({
		referentId: r.referent_id,
		name: r.name ?? '',
		answer: isAnswer(r.answer) ? r.answer : null,
		answeredAt: r.answered_at,
		level: levels.get(r.person_id) ?? ('observer' as Level),
		// A person already assigned to this very call does not count it against themselves.
		load: (load.get(r.person_id) ?? 0) - (assignedOf.has(r.referent_id) ? 1 : 0),
		assigned: assignedOf.get(r.referent_id) ?? null
	}));
	const match = call.state === 'draft' ? await matchCall(db, ctx.lab.id, callId) : null;
	const skillLabel = new Map(skills.map((s) => [s.id, s.label]));
	return {
		id: call.id,
		event: { id: call.event_id, title: call.event_title, startsAt: call.starts_at, place: call.place },
		needed: call.needed,
		minLevel: call.minLevel,
		pairNovices: Boolean(call.pair_novices),
		skills: call.skillIds.map((s) => skillLabel.get(s) ?? '?'),
		deadline: call.deadline,
		message: call.message,
		state: call.state as CallState,
		sentAt: call.sent_at,
		answers,
		proposal: proposeAssignment(answers, call.needed, call.minLevel, Boolean(call.pair_novices)),
		match: match
			? {
					atLevel: match.atLevel.length,
					novices: match.novices.length,
					names: [...match.atLevel, ...match.novices]
						.map((m) => m.name)
						.sort((a, b) => a.localeCompare(b, 'fr'))
						.slice(0, 500)
				}
			: {
					atLevel: answers.filter((a) => levelRank(a.level) >= levelRank(call.minLevel)).length,
					novices: answers.filter((a) => levelRank(a.level) < levelRank(call.minLevel)).length,
					names: []
				}
	};
}

export async function listCalls(db: Kysely<Database>, ctx: LabContext): Promise<CallSummary[]> {
	authorize(ctx.role, 'network.manage');
	const rows = await db
		.selectFrom('network_call as c')
		.innerJoin(eventRows('e'), 'e.id', 'c.event_id')
		.where('c.lab_id', '=', ctx.lab.id)
		.select(['c.id', 'c.event_id', 'e.title', 'e.starts_at', 'c.needed', 'c.state', 'c.deadline'])
		.select((eb) => callTallies(eb.ref('c.id')))
		.orderBy('e.starts_at', 'desc')
		.limit(200)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		eventId: r.event_id,
		eventTitle: r.title,
		startsAt: r.starts_at,
		needed: r.needed,
		state: r.state as CallState,
		deadline: r.deadline,
		invited: toCount(r.invited),
		answered: toCount(r.answered),
		yes: toCount(r.yes),
		assigned: toCount(r.assigned)
	}));
}

const ROLE_TEXT: Record<AssignRole, { fr: string; en: string }> = {
	facilitator: { fr: 'animateur·rice', en: 'facilitator' },
	co_facilitator: { fr: 'co-animateur·rice', en: 'co-facilitator' }
};

/**
 * The network's part of confirming a call's assignment (the command `confirmAssignment` in
 * commands/ runs it and then updates the event's participants, in one transaction): people may
 * be picked only among those who answered yes or maybe; new people get a confirmation with a
 * calendar invitation, people taken off are told. Returns who joins and who leaves the event.
 */
export interface AssignmentChange {
	added: number;
	removed: number;
	eventId: string;
	joining: { personId: string; name: string; organisation: string; role: AssignRole }[];
	leaving: string[];
}

export async function assignReferents(
	trx: Kysely<Database>,
	ctx: LabContext,
	callId: string,
	picks: { referentId: string; role: AssignRole; pairedWith?: string | null }[],
	origin: string
): Promise<AssignmentChange> {
	authorize(ctx.role, 'network.manage');
	const call = await loadCall(trx, ctx.lab.id, callId);
	if (call.state === 'cancelled' || call.state === 'draft') throw new DomainError('network.callNotOpen', 409);
	const answers = await trx
		.selectFrom('call_answer as a')
		.innerJoin('referent as r', 'r.id', 'a.referent_id')
		.where('a.call_id', '=', callId)
		.where('r.withdrawn_at', 'is', null)
		.select((eb) => [
			'a.referent_id',
			'a.answer',
			'r.person_id',
			personName(eb.ref('r.person_id')).as('name'),
			personEmail(eb.ref('r.person_id')).as('email'),
			'r.directorate'
		])
		.execute()
		.then((rows) => rows.map((r) => ({ ...r, name: r.name ?? '' })));
	const byId = new Map(answers.map((a) => [a.referent_id, a]));
	for (const p of picks) {
		const a = byId.get(p.referentId);
		if (!a) throw new DomainError('network.pickUnknown', 400);
		if (a.answer !== 'yes' && a.answer !== 'maybe') throw new DomainError('network.pickNotWilling', 400, { name: a.name });
	}
	const before = await trx.selectFrom('call_assignment').where('call_id', '=', callId).selectAll().execute();
	const beforeOf = new Map(before.map((b) => [b.referent_id, b]));
	const pickOf = new Map(picks.map((p) => [p.referentId, p]));
	const event = await eventRecord(trx, ctx.lab.id, call.event_id);
	const ics = toICalendar(ctx.lab, [event], origin);
	let added = 0;
	let removed = 0;
	const joining: AssignmentChange['joining'] = [];
	const leaving: string[] = [];
	for (const b of before) {
		if (pickOf.has(b.referent_id)) continue;
		await trx.deleteFrom('call_assignment').where('id', '=', b.id).execute();
		const a = byId.get(b.referent_id);
		if (a) {
			leaving.push(a.person_id);
			if (a.email)
				await enqueueMail(trx, {
					labId: ctx.lab.id,
					to: a.email,
					...networkMails.released({ name: a.name, labName: ctx.lab.name, event: event.title, startsAt: event.starts_at })
				});
		}
		removed++;
	}
	for (const p of picks) {
		const a = byId.get(p.referentId)!;
		const prior = beforeOf.get(p.referentId);
		if (prior && prior.role === p.role) continue;
		if (prior) await trx.updateTable('call_assignment').set({ role: p.role, confirmed_at: nowIso() }).where('id', '=', prior.id).execute();
		else
			await trx
				.insertInto('call_assignment')
				.values({ id: newId(), call_id: callId, referent_id: p.referentId, role: p.role, confirmed_at: nowIso(), reminded_at: null })
				.execute();
		joining.push({ personId: a.person_id, name: a.name, organisation: a.directorate, role: p.role });
		if (a.email) {
			// Both members of a pair are told who they work with.
			const partnerId = p.pairedWith ?? picks.find((q) => q.pairedWith === p.referentId)?.referentId ?? null;
			const partner = partnerId ? (byId.get(partnerId)?.name ?? null) : null;
			const manage = await issueReferentLink(trx, p.referentId);
			const mail = networkMails.assigned({
				name: a.name,
				labName: ctx.lab.name,
				event: event.title,
				startsAt: event.starts_at,
				place: event.place,
				role: ROLE_TEXT[p.role].fr,
				roleEn: ROLE_TEXT[p.role].en,
				partner,
				manageUrl: manageUrl(origin, ctx.lab.slug, manage)
			});
			await enqueueMail(trx, {
				labId: ctx.lab.id,
				to: a.email,
				...mail,
				attachments: [{ filename: 'invitation.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: ics }]
			});
		}
		added++;
	}
	await trx.updateTable('network_call').set({ state: 'assigned' }).where('id', '=', callId).execute();
	await recordAudit(trx, {
		labId: ctx.lab.id,
		actorId: ctx.actor?.accountId ?? null,
		action: 'call.assign',
		subjectType: 'call',
		subjectId: callId,
		summary: { added, removed, total: picks.length }
	});
	return { added, removed, eventId: event.id, joining, leaving };
}

/**
 * The referents confirmed on an event's calls (assigned, still active, calls not cancelled),
 * with their role: who the coordinator already asked to facilitate that event.
 */
export async function confirmedReferents(db: Kysely<Database>, labId: string, eventId: string): Promise<{ referentId: string; role: AssignRole }[]> {
	const rows = await db
		.selectFrom('call_assignment as s')
		.innerJoin('network_call as c', 'c.id', 's.call_id')
		.innerJoin('referent as r', 'r.id', 's.referent_id')
		.where('c.lab_id', '=', labId)
		.where('c.event_id', '=', eventId)
		.where('c.state', '!=', 'cancelled')
		.where('r.withdrawn_at', 'is', null)
		.select((eb) => ['s.referent_id', 's.role', personName(eb.ref('r.person_id')).as('name')])
		.orderBy('name')
		.execute();
	const seen = new Map<string, AssignRole>();
	for (const r of rows)
		if (!seen.has(r.referent_id) || r.role === 'facilitator') seen.set(r.referent_id, r.role === 'co_facilitator' ? 'co_facilitator' : 'facilitator');
	return [...seen].map(([referentId, role]) => ({ referentId, role }));
}

/** Closes a call: its answer links stop working. */
export async function cancelCall(db: Kysely<Database>, ctx: LabContext, callId: string): Promise<void> {
	authorize(ctx.role, 'network.manage');
	await inTransaction(db, async (trx) => {
		await loadCall(trx, ctx.lab.id, callId);
		await trx.updateTable('network_call').set({ state: 'cancelled' }).where('id', '=', callId).execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'call.cancel',
			subjectType: 'call',
			subjectId: callId,
			summary: {}
		});
	});
}

/**
 * Reminds assigned referents of events starting within `withinMs` (two days by default).
 * Each assignment is reminded once. Run by the server every few minutes and by
 * `npm run labo -- network remind`.
 */
export async function sendReminders(db: Kysely<Database>, now = new Date(), withinMs = 2 * 24 * 60 * 60 * 1000): Promise<number> {
	const due = await db
		.selectFrom('call_assignment as s')
		.innerJoin('network_call as c', 'c.id', 's.call_id')
		.innerJoin(eventRows('e'), 'e.id', 'c.event_id')
		.innerJoin('referent as r', 'r.id', 's.referent_id')
		.where('s.reminded_at', 'is', null)
		.where('c.state', '=', 'assigned')
		.where('r.withdrawn_at', 'is', null)
		.where('e.starts_at', '>', now.toISOString())
		// A cancelled event is not recalled to anyone.
		.where('e.cancelled_at', 'is', null)
		.where('e.starts_at', '<=', new Date(now.getTime() + withinMs).toISOString())
		.select((eb) => [
			's.id',
			's.role',
			'c.lab_id',
			'e.title',
			'e.starts_at',
			'e.place',
			personName(eb.ref('r.person_id')).as('name'),
			personEmail(eb.ref('r.person_id')).as('email')
		])
		.execute();
	let n = 0;
	for (const d of due) {
		await inTransaction(db, async (trx) => {
			const r = await trx
				.updateTable('call_assignment')
				.set({ reminded_at: now.toISOString() })
				.where('id', '=', d.id)
				.where('reminded_at', 'is', null)
				.executeTakeFirst();
			if (!Number(r.numUpdatedRows) || !d.email) return;
			const role = ROLE_TEXT[(d.role as AssignRole) ?? 'facilitator'];
			await enqueueMail(trx, {
				labId: d.lab_id,
				to: d.email,
				...networkMails.reminder({ name: d.name ?? '', event: d.title, startsAt: d.starts_at, place: d.place, role: role.fr, roleEn: role.en })
			});
			n++;
		});
	}
	return n;
}

export { type AnswerView, type MyCall, answerCall, answerMyCall, answerView, myCalls } from './answers';
