import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { toCount } from '../db/util';

/** A record knowledge items are drawn from (an event's outputs). */
export interface KnowledgeSource {
	type: string;
	id: string;
}

/** The knowledge items of the lab drawn from a record, oldest first. */
export async function itemsFromSource(db: Kysely<Database>, labId: string, source: KnowledgeSource): Promise<{ id: string; type: string; title: string }[]> {
	return db
		.selectFrom('knowledge_item')
		.where('lab_id', '=', labId)
		.where('source_type', '=', source.type)
		.where('source_id', '=', source.id)
		.select(['id', 'type', 'title'])
		.orderBy('created_at')
		.execute();
}

/** How many knowledge items of the lab are drawn from a record. */
export async function countFromSource(db: Kysely<Database>, labId: string, source: KnowledgeSource): Promise<number> {
	const r = await db
		.selectFrom('knowledge_item')
		.where('lab_id', '=', labId)
		.where('source_type', '=', source.type)
		.where('source_id', '=', source.id)
		.select((eb) => eb.fn.countAll().as('n'))
		.executeTakeFirst();
	return toCount(r?.n);
}

/** Titles and types of knowledge items by id (the outputs a session's groups produced). */
export async function itemsByIds(db: Kysely<Database>, ids: string[]): Promise<Map<string, { id: string; type: string; title: string }>> {
	if (!ids.length) return new Map();
	const rows = await db.selectFrom('knowledge_item').where('id', 'in', ids).select(['id', 'type', 'title']).execute();
	return new Map(rows.map((r) => [r.id, r]));
}
