import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { DocType } from './search.service';

/** Sets the status a document is found with (`cancelled` for a cancelled event, '' for none). */
export async function setStatus(db: Kysely<Database>, type: DocType, id: string, status: string): Promise<void> {
	await db.updateTable('search_document').set({ status }).where('doc_type', '=', type).where('doc_id', '=', id).execute();
}
