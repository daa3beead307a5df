/**
 * Journal post titles for other domains ([[references]] and backlinks in links): by id, by
 * title, by series and episode ("Semaine 7.2").
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/**
 * Posts by id, whatever their lab (the caller compares `lab_id`), with their title; with
 * `publishedOnly`, only published posts.
 */
export async function postTitles(
	db: Kysely<Database>,
	ids: readonly string[],
	opts: { publishedOnly?: boolean } = {}
): Promise<{ id: string; lab_id: string; title: string }[]> {
	if (!ids.length) return [];
	return db
		.selectFrom('post')
		.where('id', 'in', [...new Set(ids)])
		.$if(Boolean(opts.publishedOnly), (q) => q.where('state', '=', 'published'))
		.select(['id', 'lab_id', 'title'])
		.execute();
}

/** The lab's posts whose lower-cased title is one of `lowered`. */
export async function postsByTitle(db: Kysely<Database>, labId: string, lowered: readonly string[]): Promise<{ id: string; title: string }[]> {
	if (!lowered.length) return [];
	return db
		.selectFrom('post')
		.where('lab_id', '=', labId)
		.where((w) => w(w.fn('lower', ['title']), 'in', [...lowered]))
		.select(['id', 'title'])
		.execute();
}

/** The lab's posts of these episodes ("7.2"), with their series, to match "Semaine 7.2". */
export async function postsByEpisode(
	db: Kysely<Database>,
	labId: string,
	episodes: readonly string[]
): Promise<{ id: string; title: string; series: string; episode: string }[]> {
	if (!episodes.length) return [];
	return db
		.selectFrom('post')
		.where('lab_id', '=', labId)
		.where('episode', 'in', [...episodes])
		.select(['id', 'title', 'series', 'episode'])
		.execute();
}
