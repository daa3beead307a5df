import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { ByteLru } from './lru';
import { readContentVersion } from './version';

/**
 * Rendered public pages (lab home, journal lists, posts and pages, feeds, sitemap, published
 * experiments and knowledge) kept in memory for anonymous visitors: the full response (body and
 * headers), keyed by address (path and query), locale and origin, valid for the lab's content
 * version it was rendered at. Each request reads that version (one primary-key read) and serves
 * the copy only when it is current; a write on any server of the database moves the version.
 *
 * Only requests without a session cookie are served from or stored in the cache: a member never
 * gets a visitor's copy, and a visitor never gets a member's. docs/decisions/015-public-render-cache.md.
 */

export interface CachedPage {
	labId: string;
	version: number;
	status: number;
	headers: [string, string][];
	body: Uint8Array;
	etag: string | null;
	lastModified: string | null;
	/** Where the digits of the comment form's `startedAt` are (replaced by the time of each answer), or -1. */
	startedAt: number;
	startedAtLength: number;
}

export interface PublicPagesOptions {
	/** The lab id of a slug; null when there is no such lab. Slugs never change and labs are never deleted. */
	labIdOf: (db: Kysely<Database>, slug: string) => Promise<string | null>;
	/** Publishes the lab's scheduled posts that are due and records the next time one is (the journal's). */
	publishDue: (db: Kysely<Database>, labId: string) => Promise<unknown>;
	/** 0: nothing is cached. */
	maxBytes: number;
	/** The clock (tests). */
	now?: () => number;
}

export interface PageRequest {
	request: Request;
	url: URL;
	slug: string;
	locale: string;
}

export interface CacheTicket {
	/** The answer from the cache (200 or 304), when its copy is current. */
	response: Response | null;
	/** Keeps `response` when it can be shared with any anonymous visitor; returns what to send. */
	store: (response: Response) => Promise<Response>;
	/** The same for an answer whose bytes are at hand; whether it was kept. */
	storeBytes: (status: number, headers: Headers, body: Uint8Array) => boolean;
}

const SESSION_COOKIE = /(?:^|;)\s*(?:__Host-)?labo_session=/;
const STARTED_AT = Buffer.from('name="startedAt" value="');
const NOT_SHARED = /\b(private|no-store|no-cache)\b/i;
/** Headers a 304 repeats from the page (RFC 9110 §15.4.5). */
const KEPT_ON_304 = new Set(['etag', 'last-modified', 'cache-control', 'vary', 'content-location', 'expires']);

/** Whether the request carries a login session cookie (valid or not): such requests are never cached. */
export function hasSessionCookie(request: Request): boolean {
	return SESSION_COOKIE.test(request.headers.get('cookie') ?? '');
}

/** The position and length of the digits of the comment form's `startedAt`, if the page has one. */
function findStartedAt(body: Uint8Array): [number, number] {
	const at = Buffer.from(body.buffer, body.byteOffset, body.byteLength).indexOf(STARTED_AT);
	if (at < 0) return [-1, 0];
	const from = at + STARTED_AT.length;
	let to = from;
	while (to < body.length && body[to]! >= 0x30 && body[to]! <= 0x39) to++;
	return to > from ? [from, to - from] : [-1, 0];
}

/** Whether the validators of the request say the visitor already has this copy. */
function notModified(request: Request, page: CachedPage): boolean {
	const inm = request.headers.get('if-none-match');
	if (inm) return page.etag !== null && inm.split(',').some((t) => t.trim() === page.etag);
	const ims = request.headers.get('if-modified-since');
	return Boolean(ims && page.lastModified) && Date.parse(ims!) >= Date.parse(page.lastModified!);
}

export class PublicPageCache {
	readonly pages: ByteLru<CachedPage>;
	private readonly labIds = new Map<string, string>();
	private readonly now: () => number;
	/** Counters for tests and metrics. */
	readonly stats = { hits: 0, notModified: 0, misses: 0, stored: 0 };

	constructor(private readonly opts: PublicPagesOptions) {
		this.pages = new ByteLru<CachedPage>(opts.maxBytes);
		this.now = opts.now ?? Date.now;
	}

	private async labId(db: Kysely<Database>, slug: string): Promise<string | null> {
		const known = this.labIds.get(slug);
		if (known) return known;
		const id = await this.opts.labIdOf(db, slug);
		// Only labs that exist are remembered (one may be created later under an unknown slug).
		if (id && this.labIds.size < 10_000) this.labIds.set(slug, id);
		return id;
	}

	/**
	 * For an anonymous GET of a public page: the cached answer when current, and how to keep the
	 * rendered one otherwise. null when the request may not use the cache (a session cookie, no
	 * such lab, the cache off).
	 */
	async open(db: Kysely<Database>, req: PageRequest): Promise<CacheTicket | null> {
		if (this.opts.maxBytes <= 0 || req.request.method !== 'GET' || hasSessionCookie(req.request)) return null;
		const labId = await this.labId(db, req.slug);
		if (!labId) return null;
		let v = await readContentVersion(db, labId);
		if (v.nextPublishAt && Date.parse(v.nextPublishAt) <= this.now()) {
			// A scheduled post is due: published first (which moves the version), as a render would.
			await this.opts.publishDue(db, labId);
			v = await readContentVersion(db, labId);
		}
		const key = `${req.locale} ${req.url.origin}${req.url.pathname}${req.url.search}`;
		const page = this.pages.get(key);
		if (page && page.labId === labId && page.version === v.version) {
			if (notModified(req.request, page)) {
				this.stats.notModified++;
				return {
					response: new Response(null, { status: 304, headers: page.headers.filter(([k]) => KEPT_ON_304.has(k)) }),
					store: async (r) => r,
					storeBytes: () => false
				};
			}
			this.stats.hits++;
			return { response: this.answer(page), store: async (r) => r, storeBytes: () => false };
		}
		this.stats.misses++;
		return {
			response: null,
			store: (response) => this.keep(key, labId, v.version, response),
			storeBytes: (status, headers, body) => this.keepBytes(key, labId, v.version, status, headers, body)
		};
	}

	private answer(page: CachedPage): Response {
		let body = page.body;
		if (page.startedAt >= 0) {
			// The comment form says when it was shown (its "too fast" check): now, not when rendered.
			const now = new TextEncoder().encode(String(this.now()));
			if (now.length === page.startedAtLength) {
				body = new Uint8Array(page.body);
				body.set(now, page.startedAt);
			} else {
				const out = new Uint8Array(page.body.length - page.startedAtLength + now.length);
				out.set(page.body.subarray(0, page.startedAt));
				out.set(now, page.startedAt);
				out.set(page.body.subarray(page.startedAt + page.startedAtLength), page.startedAt + now.length);
				body = out;
			}
		}
		return new Response(body as Uint8Array<ArrayBuffer>, { status: page.status, headers: page.headers });
	}

	/** Whether an answer may be given to any anonymous visitor. */
	private shareable(status: number, h: Headers): boolean {
		return (
			status === 200 &&
			!h.has('set-cookie') &&
			!NOT_SHARED.test(h.get('cache-control') ?? '') &&
			!(h.get('vary') ?? '').includes('*') &&
			!h.has('content-encoding')
		);
	}

	/** Keeps a rendered answer that any anonymous visitor may get; returns the response to send. */
	private async keep(key: string, labId: string, version: number, response: Response): Promise<Response> {
		if (response.body === null || !this.shareable(response.status, response.headers)) return response;
		const body = new Uint8Array(await response.arrayBuffer());
		this.keepBytes(key, labId, version, response.status, response.headers, body);
		return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
	}

	private keepBytes(key: string, labId: string, version: number, status: number, h: Headers, body: Uint8Array): boolean {
		if (!this.shareable(status, h)) return false;
		const headers = [...h.entries()].filter(([k]) => k !== 'x-request-id' && k !== 'content-length');
		const [startedAt, startedAtLength] = findStartedAt(body);
		const page: CachedPage = { labId, version, status, headers, body, etag: h.get('etag'), lastModified: h.get('last-modified'), startedAt, startedAtLength };
		const headerBytes = headers.reduce((n, [k, v]) => n + 2 * (k.length + v.length) + 64, 0);
		const kept = this.pages.set(key, page, body.byteLength + headerBytes);
		if (kept) this.stats.stored++;
		return kept;
	}
}
