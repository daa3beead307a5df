import { expressionBuilder, type Kysely, type Selectable } from 'kysely';
import type { Database, EventTable } from '../db/schema';
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

const HEADER = ['id', 'title', 'kind', 'starts_at', 'ends_at', 'place', 'cancelled_at'] as const;

/** What another domain shows of an event of the lab (a session's, a call's), or null when it is not the lab's. */
export async function findEventHeader(db: Kysely<Database>, labId: string, eventId: string): Promise<EventHeader | null> {
	const e = await db.selectFrom('event').where('id', '=', eventId).where('lab_id', '=', labId).select(HEADER).executeTakeFirst();
	return e ?? null;
}

/** As findEventHeader, 404 when the event is not the lab's. */
export async function eventHeader(db: Kysely<Database>, labId: string, eventId: string): Promise<EventHeader> {
	const e = await findEventHeader(db, labId, eventId);
	if (!e) throw new DomainError('event.notFound', 404);
	return e;
}

/** The whole event row (for its calendar invitation), 404 when it is not the lab's. */
export async function eventRecord(db: Kysely<Database>, labId: string, eventId: string): Promise<Selectable<EventTable>> {
	const e = await db.selectFrom('event').where('id', '=', eventId).where('lab_id', '=', labId).selectAll().executeTakeFirst();
	if (!e) throw new DomainError('event.notFound', 404);
	return e;
}

const eb = expressionBuilder<Database>();

/**
 * The events' public columns as a derived table, for another domain's query that lists its own
 * rows with their event's title and date, filters or sorts by them:
 * `.innerJoin(eventRows('e'), 'e.id', 'c.event_id')`. Read-only; the databases inline it.
 */
export function eventRows<A extends string>(alias: A) {
	return eb
		.selectFrom('event')
		.select(['id', 'lab_id', ...HEADER.slice(1)])
		.as(alias);
}
