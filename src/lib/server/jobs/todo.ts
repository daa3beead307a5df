/** The import jobs' part of "what needs me" (home): failed imports since a given instant. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

const failedSince = (db: Kysely<Database>, labId: string, since: string) =>
	db.selectFrom('import_job').where('lab_id', '=', labId).where('state', '=', 'failed').where('updated_at', '>', since);

/** How many of the lab's imports failed after `since` (ISO instant), as a one-row count query (`n`). */
export function failedImportsCount(db: Kysely<Database>, labId: string, since: string) {
	return failedSince(db, labId, since).select(sql<number>`count(*)`.as('n'));
}

/** One import of the lab that failed after `since`, to link to its page. */
export async function aFailedImport(db: Kysely<Database>, labId: string, since: string): Promise<{ id: string; kind: string } | undefined> {
	return failedSince(db, labId, since).select(['id', 'kind']).executeTakeFirst();
}
