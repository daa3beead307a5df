/** The events' part of "what needs me" (home, through network): the lab's events still to come. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** The ids of the lab's events starting after `now` (ISO instant), as a subquery for `in`. */
export function upcomingEventIds(db: Kysely<Database>, labId: string, now: string) {
	return db.selectFrom('event').where('lab_id', '=', labId).where('starts_at', '>', now).select('id');
}
