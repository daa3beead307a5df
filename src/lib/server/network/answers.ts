/**
 * A referent answers a call: by the personal link of the mail (no account needed) or signed in,
 * from their own list of calls. Each answer is recorded once per call and referent.
 */
import { type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, nowIso } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import { hashToken } from '../auth';
import { eventRows } from '../events';
import { personName } from '../auth';
import type { LabContext, LabSummary } from '../labs';
import { isAnswer, type Answer } from '$lib/shared/network';

export interface AnswerView {
	labId: string;
	event: string;
	startsAt: string;
	place: string;
	deadline: string;
	name: string;
	answer: Answer | null;
	answeredAt: string | null;
	/** Why the link cannot be used any more, if so. */
	closed: 'used' | 'deadline' | 'withdrawn' | 'cancelled' | null;
}

type Closed = AnswerView['closed'];

/** The answer rows of a lab's sent calls, with what decides whether they can still be answered. */
function answerRows(db: Kysely<Database>, labId: string) {
	return db
		.selectFrom('call_answer as a')
		.innerJoin('network_call as c', 'c.id', 'a.call_id')
		.innerJoin(eventRows('e'), 'e.id', 'c.event_id')
		.innerJoin('referent as r', 'r.id', 'a.referent_id')
		.where('c.lab_id', '=', labId)
		.where('r.lab_id', '=', labId)
		.select((eb) => [
			'a.id',
			'a.call_id',
			'a.answer',
			'a.answered_at',
			'c.deadline',
			'c.state',
			'c.message',
			'e.id as event_id',
			'e.title',
			'e.starts_at',
			'e.place',
			personName(eb.ref('r.person_id')).as('name'),
			'r.withdrawn_at'
		]);
}

type AnswerRow = { answered_at: string | null; withdrawn_at: string | null; state: string; deadline: string };

/** Why an answer row can no longer be answered, or null while it can. */
const closedReason = (row: AnswerRow): Closed =>
	row.answered_at ? 'used' : row.withdrawn_at ? 'withdrawn' : row.state === 'cancelled' ? 'cancelled' : row.deadline < nowIso() ? 'deadline' : null;

/** What an answer link shows, without logging in. Null when the link is unknown. */
export async function answerView(db: Kysely<Database>, lab: LabSummary, token: string): Promise<AnswerView | null> {
	const row = await answerRows(db, lab.id).where('a.token_hash', '=', hashToken(token)).executeTakeFirst();
	if (!row) return null;
	return {
		labId: lab.id,
		event: row.title,
		startsAt: row.starts_at,
		place: row.place,
		deadline: row.deadline,
		name: row.name ?? '',
		answer: isAnswer(row.answer) ? row.answer : null,
		answeredAt: row.answered_at,
		closed: closedReason(row)
	};
}

/**
 * Records the answer of one answer row, whichever way the referent came (their mailed link, or
 * signed in): once, before the deadline, only for an active referent of a call still open.
 * Messages speak of the link or of the app depending on `via`.
 */
async function recordAnswer(
	trx: Kysely<Database>,
	labId: string,
	row: (AnswerRow & { id: string; call_id: string; answer: string | null }) | undefined,
	answer: Answer,
	via: 'link' | 'app',
	actorId: string | null
): Promise<void> {
	const app = via === 'app';
	if (!row) throw new DomainError(app ? 'network.myCalls.unknown' : 'network.answerUnknown', 404);
	const closed = closedReason(row);
	if (closed === 'used') throw new DomainError(app ? 'network.myCalls.used' : 'network.answerUsed', 409, { answer: `network.answer.${row.answer}` });
	if (closed === 'deadline') throw new DomainError(app ? 'network.myCalls.late' : 'network.answerLate', 409);
	if (closed) throw new DomainError('network.answerClosed', 409);
	// The update is conditional so two clicks at once record one answer.
	const r = await trx
		.updateTable('call_answer')
		.set({ answer, answered_at: nowIso() })
		.where('id', '=', row.id)
		.where('answered_at', 'is', null)
		.executeTakeFirst();
	if (!Number(r.numUpdatedRows)) throw new DomainError(app ? 'network.myCalls.used' : 'network.answerUsed', 409, { answer: `network.answer.${answer}` });
	await recordAudit(trx, { labId, actorId, action: 'call.answer', subjectType: 'call', subjectId: row.call_id, summary: { answer, via } });
}

/** Records an answer through its link: once, before the deadline, only for an active referent. */
export async function answerCall(db: Kysely<Database>, lab: LabSummary, token: string, answer: Answer): Promise<void> {
	await inTransaction(db, async (trx) => {
		const row = await answerRows(trx, lab.id).where('a.token_hash', '=', hashToken(token)).executeTakeFirst();
		await recordAnswer(trx, lab.id, row, answer, 'link', null);
	});
}

export interface MyCall {
	callId: string;
	eventId: string;
	event: string;
	startsAt: string;
	place: string;
	deadline: string;
	message: string;
	answer: Answer | null;
	answeredAt: string | null;
	closed: Closed;
}

/**
 * The calls sent to the signed-in member's referent profile in this lab: those still waiting
 * for their answer (soonest deadline first), and the others (answered, or closed) latest first.
 */
export async function myCalls(db: Kysely<Database>, ctx: LabContext): Promise<{ open: MyCall[]; past: MyCall[] }> {
	authorize(ctx.role, 'network.join');
	const rows = await answerRows(db, ctx.lab.id).where('r.person_id', '=', ctx.actor!.personId).orderBy('e.starts_at', 'desc').limit(200).execute();
	const calls = rows.map((r) => ({
		callId: r.call_id,
		eventId: r.event_id,
		event: r.title,
		startsAt: r.starts_at,
		place: r.place,
		deadline: r.deadline,
		message: r.message,
		answer: isAnswer(r.answer) ? r.answer : null,
		answeredAt: r.answered_at,
		closed: closedReason(r)
	}));
	return {
		open: calls.filter((c) => !c.closed).sort((a, b) => a.deadline.localeCompare(b.deadline)),
		past: calls.filter((c) => c.closed)
	};
}

/**
 * Records the signed-in member's answer to a call sent to them, without the mailed link: the
 * answer row is the one of their own referent profile, so nobody answers for someone else
 * (any other member, coordinators included, finds no row: 404).
 */
export async function answerMyCall(db: Kysely<Database>, ctx: LabContext, callId: string, answer: Answer): Promise<void> {
	authorize(ctx.role, 'network.join');
	await inTransaction(db, async (trx) => {
		const row = await answerRows(trx, ctx.lab.id).where('a.call_id', '=', callId).where('r.person_id', '=', ctx.actor!.personId).executeTakeFirst();
		await recordAnswer(trx, ctx.lab.id, row, answer, 'app', ctx.actor!.accountId);
	});
}
