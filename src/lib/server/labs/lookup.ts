/** Reads of `lab` for other domains: a lab by id, every lab, and its slug or name inside another query. */
import { expressionBuilder, type Expression, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { LabSummary } from './labs.service';

type Id = Expression<string | null>;
const eb = expressionBuilder<Database>();

export async function findLabById(db: Kysely<Database>, id: string): Promise<LabSummary | null> {
	return (await db.selectFrom('lab').where('id', '=', id).select(['id', 'slug', 'name', 'region', 'description']).executeTakeFirst()) ?? null;
}

/** Every lab with its creation time, by name. */
export async function allLabs(db: Kysely<Database>): Promise<(LabSummary & { createdAt: string })[]> {
	return db.selectFrom('lab').select(['id', 'slug', 'name', 'region', 'description', 'created_at as createdAt']).orderBy('name').orderBy('slug').execute();
}

/** A lab's id and raw settings by slug (the public site's validators hash the settings as stored). */
export async function labKeyBySlug(db: Kysely<Database>, slug: string): Promise<{ id: string; settings: string } | undefined> {
	return db.selectFrom('lab').where('slug', '=', slug).select(['id', 'settings']).executeTakeFirst();
}

/** A lab's slug, as a correlated subquery. */
export function labSlug(labId: Id) {
	return eb.selectFrom('lab as slug_l').where('slug_l.id', '=', labId).select('slug_l.slug');
}

/** A lab's name, as a correlated subquery. */
export function labName(labId: Id) {
	return eb.selectFrom('lab as name_l').where('name_l.id', '=', labId).select('name_l.name');
}

/** A lab's creation time, as a correlated subquery (to order by the oldest lab). */
export function labCreatedAt(labId: Id) {
	return eb.selectFrom('lab as at_l').where('at_l.id', '=', labId).select('at_l.created_at');
}

/** The id of the lab of a slug, as a subquery. */
export function labIdOfSlug(slug: string) {
	return eb.selectFrom('lab as id_l').where('id_l.slug', '=', slug).select('id_l.id');
}
