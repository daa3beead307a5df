import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { toCount } from '../db/util';

/** How many messages of the outbox wait to be sent and how many failed (the metrics' gauge). */
export async function outboxCounts(db: Kysely<Database>): Promise<{ pending: number; failed: number }> {
	const rows = await db
		.selectFrom('outbox_message')
		.where('state', 'in', ['pending', 'failed'])
		.select((eb) => ['state', eb.fn.countAll().as('n')])
		.groupBy('state')
		.execute();
	const by = new Map(rows.map((r) => [r.state, toCount(r.n)]));
	return { pending: by.get('pending') ?? 0, failed: by.get('failed') ?? 0 };
}
