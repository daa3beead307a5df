/** The journal's part of "what needs me" (home): one-row count queries (`n`). */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** Comments waiting for moderation. */
export function pendingCommentsCount(db: Kysely<Database>, labId: string) {
	return db
		.selectFrom('comment')
		.where('lab_id', '=', labId)
		.where('state', '=', 'pending')
		.select(sql<number>`count(*)`.as('n'));
}

/** Posts scheduled for publication. */
export function scheduledPostsCount(db: Kysely<Database>, labId: string) {
	return db
		.selectFrom('post')
		.where('lab_id', '=', labId)
		.where('state', '=', 'scheduled')
		.select(sql<number>`count(*)`.as('n'));
}
