import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { LabSummary } from './labs.service';

/** A lab by its id (a job or a record knows its lab by id), or null. */
export async function findLabById(db: Kysely<Database>, id: string): Promise<LabSummary | null> {
	const lab = await db.selectFrom('lab').where('id', '=', id).select(['id', 'slug', 'name', 'region', 'description']).executeTakeFirst();
	return lab ?? null;
}
