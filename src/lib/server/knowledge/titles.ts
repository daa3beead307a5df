/**
 * What other domains may know of knowledge items without naming their table: title and type
 * as correlated subqueries for their select lists, titles by id or by title, the items drawn
 * from a record (an experiment's lessons).
 */
import { expressionBuilder, type Expression, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Visibility } from '../policy/scopes';

const eb = expressionBuilder<Database>();

/** The title of the knowledge item whose id is `itemId`, to place in a select list. */
export function knowledgeTitle(itemId: Expression<string | null>) {
	return eb.selectFrom('knowledge_item as title_k').where('title_k.id', '=', itemId).select('title_k.title');
}

/** The type of the knowledge item whose id is `itemId`, to place in a select list. */
export function knowledgeType(itemId: Expression<string | null>) {
	return eb.selectFrom('knowledge_item as type_k').where('type_k.id', '=', itemId).select('type_k.type');
}

/**
 * Knowledge items by id, whatever their lab (the caller compares `lab_id`), with their title;
 * with `visibility`, only the items of those visibilities.
 */
export async function knowledgeTitles(
	db: Kysely<Database>,
	ids: readonly string[],
	visibility?: readonly Visibility[]
): Promise<{ id: string; lab_id: string; title: string }[]> {
	if (!ids.length) return [];
	return db
		.selectFrom('knowledge_item')
		.where('id', 'in', [...new Set(ids)])
		.$if(visibility !== undefined, (q) => q.where('visibility', 'in', [...visibility!]))
		.select(['id', 'lab_id', 'title'])
		.execute();
}

/** The lab's knowledge items whose lower-cased title is one of `lowered`. */
export async function knowledgeByTitle(db: Kysely<Database>, labId: string, lowered: readonly string[]): Promise<{ id: string; title: string }[]> {
	if (!lowered.length) return [];
	return db
		.selectFrom('knowledge_item')
		.where('lab_id', '=', labId)
		.where((w) => w(w.fn('lower', ['title']), 'in', [...lowered]))
		.select(['id', 'title'])
		.execute();
}

/** The items of the lab whose source is the given record (an experiment's lessons), oldest first. */
export async function itemsOfSource(
	db: Kysely<Database>,
	labId: string,
	source: { type: 'event' | 'experiment'; id: string }
): Promise<{ id: string; title: string }[]> {
	return db
		.selectFrom('knowledge_item')
		.where('lab_id', '=', labId)
		.where('source_type', '=', source.type)
		.where('source_id', '=', source.id)
		.select(['id', 'title'])
		.orderBy('created_at')
		.execute();
}
