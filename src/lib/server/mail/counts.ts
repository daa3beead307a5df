/** Counts over the outbox for other domains' pages. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { toCount } from '../db/util';

/** A lab's messages still waiting to be sent. */
export async function pendingMailCount(db: Kysely<Database>, labId: string): Promise<number> {
	const r = await db
		.selectFrom('outbox_message')
		.where('lab_id', '=', labId)
		.where('state', '=', 'pending')
		.select((eb) => eb.fn.countAll().as('n'))
		.executeTakeFirstOrThrow();
	return toCount(r.n);
}
