/** Knowledge items the lab marked public: the reads the public site (journal) needs. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

const visible = (db: Kysely<Database>, labId: string) => db.selectFrom('knowledge_item').where('lab_id', '=', labId).where('visibility', '=', 'public');

/** The lab's public items, latest changed first. */
export async function publicKnowledgeItems(db: Kysely<Database>, labId: string, limit: number) {
	return visible(db, labId).select(['id', 'type', 'title']).orderBy('updated_at', 'desc').limit(limit).execute();
}

/** A public item of the lab, as its public page shows it. */
export async function publicKnowledgeItem(db: Kysely<Database>, labId: string, id: string) {
	return visible(db, labId).where('id', '=', id).select(['id', 'type', 'title', 'body', 'updated_at']).executeTakeFirst();
}

/** The public items' ids and last changes (the sitemap). */
export async function publicKnowledgeDates(db: Kysely<Database>, labId: string, limit: number) {
	return visible(db, labId).select(['id', 'updated_at']).limit(limit).execute();
}

/** Which of these items are public. */
export async function publicKnowledgeIds(db: Kysely<Database>, ids: readonly string[]): Promise<string[]> {
	if (!ids.length) return [];
	return (await db.selectFrom('knowledge_item').where('id', 'in', ids).where('visibility', '=', 'public').select('id').execute()).map((r) => r.id);
}

/** The latest change and the number of the lab's public items (the public site's validators). */
export async function publicKnowledgeStamp(db: Kysely<Database>, labId: string) {
	return visible(db, labId)
		.select((eb) => [eb.fn.max('updated_at').as('t'), eb.fn.countAll().as('n')])
		.executeTakeFirstOrThrow();
}
