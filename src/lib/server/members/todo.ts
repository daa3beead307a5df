/** The members' part of "what needs me" (home): a one-row count query (`n`). */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** Pending invitations (neither accepted nor revoked) that expire after `now` and by `until` (ISO instants). */
export function expiringInvitationsCount(db: Kysely<Database>, labId: string, now: string, until: string) {
	return db
		.selectFrom('invitation')
		.where('lab_id', '=', labId)
		.where('accepted_at', 'is', null)
		.where('revoked_at', 'is', null)
		.where('expires_at', '>', now)
		.where('expires_at', '<=', until)
		.select(sql<number>`count(*)`.as('n'));
}
