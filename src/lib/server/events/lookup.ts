import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { DomainError } from '../errors';

export interface EventHeader {
	id: string;
	title: string;
	kind: string;
	starts_at: string;
	ends_at: string;
	place: string;
	cancelled_at: string | null;
}

/** What another domain shows of an event of the lab (a session's, a call's); 404 when it is not the lab's. */
export async function eventHeader(db: Kysely<Database>, labId: string, eventId: string): Promise<EventHeader> {
	const e = await db.selectFrom('event').where('id', '=', eventId).where('lab_id', '=', labId).select(['id', 'title', 'kind', 'starts_at', 'ends_at', 'place', 'cancelled_at']).executeTakeFirst();
	if (!e) throw new DomainError('event.notFound', 404);
	return e;
}
