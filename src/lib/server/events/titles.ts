/**
 * Event titles for other domains: [[references]] (links), an experiment's lineage, a knowledge
 * item's source, pickers. Events are lab-wide records: no visibility filter applies.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** Events by id, whatever their lab (the caller compares `lab_id`), with their title. */
export async function eventTitles(db: Kysely<Database>, ids: readonly string[]): Promise<{ id: string; lab_id: string; title: string }[]> {
	if (!ids.length) return [];
	return db
		.selectFrom('event')
		.where('id', 'in', [...new Set(ids)])
		.select(['id', 'lab_id', 'title'])
		.execute();
}

/** The lab's events whose lower-cased title is one of `lowered`. */
export async function eventsByTitle(db: Kysely<Database>, labId: string, lowered: readonly string[]): Promise<{ id: string; title: string }[]> {
	if (!lowered.length) return [];
	return db
		.selectFrom('event')
		.where('lab_id', '=', labId)
		.where((w) => w(w.fn('lower', ['title']), 'in', [...lowered]))
		.select(['id', 'title'])
		.execute();
}

/** The lab's latest events (by start, newest first), for pickers. */
export async function eventOptions(db: Kysely<Database>, labId: string, limit: number): Promise<{ id: string; title: string }[]> {
	return db.selectFrom('event').where('lab_id', '=', labId).select(['id', 'title']).orderBy('starts_at', 'desc').limit(limit).execute();
}
