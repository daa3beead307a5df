import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { LinkTarget } from './links.service';

/** Deletes the links a record makes (the record is being deleted). */
export async function removeLinksFrom(db: Kysely<Database>, from: LinkTarget): Promise<void> {
	await db.deleteFrom('link').where('from_type', '=', from.type).where('from_id', '=', from.id).execute();
}
