/** The outbox's part of "what needs me" (home): a one-row count query (`n`). */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** Messages of the lab whose sending failed for good. */
export function failedMailsCount(db: Kysely<Database>, labId: string) {
	return db
		.selectFrom('outbox_message')
		.where('lab_id', '=', labId)
		.where('state', '=', 'failed')
		.select(sql<number>`count(*)`.as('n'));
}
