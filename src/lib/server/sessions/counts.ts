import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { toCount } from '../db/util';

/** How many participants an event's co-production session has. */
export async function participantCountOfEvent(db: Kysely<Database>, eventId: string): Promise<number> {
	const r = await db
		.selectFrom('session_participant')
		.where('event_id', '=', eventId)
		.select((eb) => eb.fn.countAll().as('n'))
		.executeTakeFirst();
	return toCount(r?.n);
}
