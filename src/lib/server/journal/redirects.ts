/**
 * Old addresses of an imported blog (WordPress permalinks, `?p=12`, `?page_id=7`), answered
 * with a permanent redirect to the journal. Stored and looked up in one normal form, so
 * `/2021/03/semaine-9-2/`, `/2021/03/semaine-9-2?utm_source=x` and the percent-encoded
 * spelling of an accented slug all find the same row.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { labCreatedAt, labIdOfSlug } from '../labs';

/** The only query parameters that name a WordPress post or page by its id. */
const ID_QUERIES = ['p', 'page_id'] as const;

/**
 * The stored form of an address (a path with its query, or a whole URL): the path
 * percent-decoded, without a trailing slash, and of the query only `p` or `page_id` with a
 * numeric value. Null when there is nothing to look up.
 */
export function normalizeOldPath(pathOrUrl: string): string | null {
	if (!pathOrUrl || pathOrUrl.length > 2000) return null;
	let url: URL;
	try {
		url = new URL(pathOrUrl, 'http://old.invalid');
	} catch {
		return null;
	}
	let p = url.pathname;
	try {
		p = decodeURIComponent(p);
	} catch {
		// A stray "%" stays as it is.
	}
	p = p.replace(/\/{2,}/g, '/');
	if (p.length > 1) p = p.replace(/\/+$/, '');
	for (const k of ID_QUERIES) {
		const v = url.searchParams.get(k);
		if (v && /^\d{1,12}$/.test(v)) return `${p}?${k}=${v}`;
	}
	return p;
}

/**
 * Where an old address now lives, or null. Under `/l/<slug>/` only that lab's redirects are
 * looked at; anywhere else, any lab's, the oldest lab first.
 */
export async function findRedirect(db: Kysely<Database>, pathWithSearch: string): Promise<string | null> {
	const key = normalizeOldPath(pathWithSearch);
	if (!key || key === '/') return null;
	const lab = /^\/l\/([a-z0-9-]+)\//.exec(pathWithSearch)?.[1];
	let q = db.selectFrom('redirect as r').where('r.from_path', '=', key);
	if (lab) q = q.where('r.lab_id', '=', labIdOfSlug(lab));
	const row = await q
		.select('r.to_path')
		.orderBy((eb) => labCreatedAt(eb.ref('r.lab_id')))
		.orderBy('r.lab_id')
		.limit(1)
		.executeTakeFirst();
	// Only the app's own addresses are ever stored; anything else is not followed.
	return row && row.to_path.startsWith('/') && !row.to_path.startsWith('//') ? row.to_path : null;
}
