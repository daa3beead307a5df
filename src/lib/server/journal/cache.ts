import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { toCount } from '../db/util';
import { journalStamp, publishDue } from './posts.service';
import { labKeyBySlug } from '../labs';
import { publicKnowledgeStamp } from '../knowledge';
import { publishedExperimentsStamp } from '../experiments';
import { fundedStamp } from '../fund';

// Revalidation for the public site: an anonymous visitor's lab home, journal, post, feed,
// sitemap and published pages carry an ETag and a Last-Modified computed from what they show; a request
// with a matching If-None-Match (or a recent enough If-Modified-Since) gets a 304 without the
// page being rendered at all.

const PUBLIC = /^\/l\/([a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)(?:\/(journal(?:\/.*)?|public\/.+|sitemap\.xml))?$/;
const PRIVATE = /^\/l\/[^/]+\/journal\/(admin|moderation|commenters|erase|import|preview|images)(\/|$)|\/comment$/;

/** The lab slug of a public, cacheable address, or null. */
export function cacheableSlug(method: string, path: string, anonymous: boolean): string | null {
	if (method !== 'GET' || !anonymous || PRIVATE.test(path)) return null;
	return PUBLIC.exec(path)?.[1] ?? null;
}

function publishesFunding(settings: string): boolean {
	try {
		return (JSON.parse(settings) as { publishFunding?: unknown }).publishFunding === true;
	} catch {
		return false;
	}
}

export interface Validators {
	etag: string;
	lastModified: string; // HTTP date
}

export async function publicValidators(db: Kysely<Database>, slug: string, pathWithSearch: string, locale: string): Promise<Validators | null> {
	const lab = await labKeyBySlug(db, slug);
	if (!lab) return null;
	// A scheduled post whose time has come is published before anything is compared.
	await publishDue(db, lab.id);
	// Only public rows feed the validators: a change to a draft, a private item or the ledger
	// must not show (as a new ETag) to someone watching the public site.
	const [stamp, k, x, f] = await Promise.all([
		journalStamp(db, lab.id),
		publicKnowledgeStamp(db, lab.id),
		publishedExperimentsStamp(db, lab.id),
		// The home page shows the funded experiments (approved requests) when the lab publishes them.
		publishesFunding(lab.settings) ? fundedStamp(db, lab.id) : { t: null, n: 0 }
	]);
	const all = `${stamp}|${k.t ?? ''}|${toCount(k.n)}|${x.t ?? ''}|${toCount(x.n)}|${f.t ?? ''}|${toCount(f.n)}|${lab.settings}`;
	const etag = `W/"${createHash('sha1').update(`${pathWithSearch}|${locale}|${all}`).digest('base64url')}"`;
	const times = all
		.split('|')
		.filter((v) => /^\d{4}-\d\d-\d\dT/.test(v))
		.sort();
	const last = times.at(-1) ?? new Date(0).toISOString();
	// HTTP dates have whole seconds: round up so a change within the second is not missed.
	return { etag, lastModified: new Date(Math.ceil(Date.parse(last) / 1000) * 1000).toUTCString() };
}

/** Whether the request's validators say the visitor already has this version. */
export function notModified(req: Request, v: Validators): boolean {
	const inm = req.headers.get('if-none-match');
	if (inm) return inm.split(',').some((t) => t.trim() === v.etag);
	const ims = req.headers.get('if-modified-since');
	return Boolean(ims) && Date.parse(ims!) >= Date.parse(v.lastModified);
}

/** Browsers revalidate each time; shared caches (a proxy, a CDN) may keep a page 30 s and serve it 60 s more while they refresh it. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, s-maxage=30, stale-while-revalidate=60';
