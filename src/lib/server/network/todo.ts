/**
 * The network's part of "what needs me" (home): calls short of referents for coordinators, and
 * for a referent the answers expected and the facilitations to come.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { upcomingEventIds } from '../events';

const count = () => sql<number>`count(*)`.as('n');

/** Sent calls still open whose "yes" answers do not yet reach the number needed, as a count query (`n`). */
export function shortCallsCount(db: Kysely<Database>, labId: string, now: string) {
	return db
		.selectFrom('network_call as c')
		.where('c.lab_id', '=', labId)
		.where('c.state', '=', 'open')
		.where('c.deadline', '>', now)
		.where((w) =>
			w(
				db
					.selectFrom('call_answer as a')
					.where('a.call_id', '=', sql.ref<string>('c.id'))
					.where('a.answer', '=', 'yes')
					.select(sql<number>`count(*)`.as('yes')),
				'<',
				w.ref('c.needed')
			)
		)
		.select(count());
}

/** Call answers still expected from the person's referent profile: open calls, before their deadline (count query, `n`). */
export function openAnswersCount(db: Kysely<Database>, labId: string, personId: string, now: string) {
	return db
		.selectFrom('call_answer as a')
		.innerJoin('network_call as c', 'c.id', 'a.call_id')
		.innerJoin('referent as rf', 'rf.id', 'a.referent_id')
		.where('rf.lab_id', '=', labId)
		.where('c.lab_id', '=', labId)
		.where('rf.person_id', '=', personId)
		.where('rf.withdrawn_at', 'is', null)
		.where('a.answered_at', 'is', null)
		.where('c.state', '=', 'open')
		.where('c.deadline', '>', now)
		.select(count());
}

/** The person's confirmed facilitations at events still to come. */
function upcomingAssignments(db: Kysely<Database>, labId: string, personId: string, now: string) {
	return db
		.selectFrom('call_assignment as s')
		.innerJoin('network_call as c', 'c.id', 's.call_id')
		.innerJoin('referent as rf', 'rf.id', 's.referent_id')
		.where('rf.lab_id', '=', labId)
		.where('c.lab_id', '=', labId)
		.where('rf.person_id', '=', personId)
		.where('c.state', '!=', 'cancelled')
		.where('c.event_id', 'in', upcomingEventIds(db, labId, now));
}

/** How many facilitations the person has at events to come (count query, `n`). */
export function upcomingAssignmentsCount(db: Kysely<Database>, labId: string, personId: string, now: string) {
	return upcomingAssignments(db, labId, personId, now).select(count());
}

/** The event of one of the person's facilitations to come, to link to it. */
export async function anUpcomingAssignment(db: Kysely<Database>, labId: string, personId: string, now: string): Promise<{ eventId: string } | undefined> {
	const row = await upcomingAssignments(db, labId, personId, now).select('c.event_id').executeTakeFirst();
	return row?.event_id ? { eventId: row.event_id } : undefined;
}
