/** The specifications' part of "what needs me" (home): a one-row count query (`n`). */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** Specifications (not templates or references) under review. */
export function specsInReviewCount(db: Kysely<Database>, labId: string) {
	return db
		.selectFrom('specification')
		.where('lab_id', '=', labId)
		.where('kind', '=', 'specification')
		.where('state', '=', 'under_review')
		.select(sql<number>`count(*)`.as('n'));
}
