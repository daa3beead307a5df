/**
 * The shared render cache of the public site, on both databases: a copy is never served after a
 * write that changes it — on one server, and with two servers (two independent caches, each with
 * its own database connection) sharing one database; a member never gets a visitor's copy nor the
 * reverse; memory stays under its bound with 100,000 distinct addresses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, freshDb } from '../setup/db';
import { makeLab, makeMember, uid } from '../factories';
import { createDb, type Db } from '../../src/lib/server/db';
import {
	changeState,
	createPost,
	getPost,
	publicPost,
	publicPosts,
	renderPublicBody,
	updatePost,
	type PostInput
} from '../../src/lib/server/journal/posts.service';
import { moderate, postComment, publicComments, resetJournalSecretForTests, type CommentInput } from '../../src/lib/server/journal/comments';
import { cacheableSlug, publicValidators, PUBLIC_CACHE_CONTROL } from '../../src/lib/server/journal/cache';
import { publishDueAndPlan } from '../../src/lib/server/journal';
import { findLabBySlug, type LabSummary } from '../../src/lib/server/labs/labs.service';
import { updateLabSettings } from '../../src/lib/server/labs/labs.service';
import { ByteLru, PublicPageCache, readContentVersion, setNextPublish } from '../../src/lib/server/publiccache';
import { createKnowledge, updateKnowledge } from '../../src/lib/server/knowledge/knowledge.service';
import { createExperiment, moveExperiment, updateExperiment, type ExperimentInput } from '../../src/lib/server/experiments/experiments.service';
import { setExperimentPublished } from '../../src/lib/server/journal/public-site';

const ORIGIN = 'https://labo.example';
const postInput = (over: Partial<PostInput> = {}): PostInput => ({
	kind: 'post',
	title: `Billet ${uid()}`,
	slug: '',
	series: '',
	episode: '',
	excerpt: '',
	body: 'Texte.',
	tags: [],
	authorPersonIds: [],
	byLab: true,
	coverFileId: null,
	commentsOpen: true,
	...over
});
let ip = 0;
const commentInput = (over: Partial<CommentInput> = {}): CommentInput => ({
	name: 'Camille Visiteuse',
	email: `visiteur-${uid()}@example.test`,
	body: 'Merci pour ce billet.',
	parentId: null,
	website: '',
	startedAt: Date.now() - 5000,
	ip: `198.51.100.${++ip % 250}`,
	...over
});

beforeAll(() => {
	process.env.LABO_SECRET = 'publiccache-test-secret-0123456789abcdef';
	resetJournalSecretForTests();
});

/**
 * One app server: its own cache and its own database connection, handling a GET the way
 * hooks.server.ts does (cache, validators, render, keep), with a renderer reading the same
 * services as the public pages. `renders` counts the pages actually rendered.
 */
function server(db: Db, maxBytes = 8 * 1024 * 1024) {
	const cache = new PublicPageCache({ maxBytes, labIdOf: async (d, slug) => (await findLabBySlug(d, slug))?.id ?? null, publishDue: publishDueAndPlan });
	const s = { cache, renders: 0, get };
	async function render(lab: LabSummary, path: string, member: boolean): Promise<Response> {
		s.renders++;
		const slug = /\/journal\/([^/?]+)$/.exec(path)?.[1];
		let html: string;
		if (slug) {
			const p = await publicPost(db, lab, slug);
			if (!p) return new Response('introuvable', { status: 404 });
			const [body, comments] = await Promise.all([renderPublicBody(db, lab, p.body), publicComments(db, lab.id, p.id)]);
			html = `<h1>${p.title}</h1>${body}<ol>${comments.map((c) => `<li>${c.name} : ${c.html}</li>`).join('')}</ol><form><input type="hidden" name="startedAt" value="${Date.now()}"></form>`;
		} else {
			html = `<ul>${(await publicPosts(db, lab, { page: 1 })).rows.map((r) => `<li>${r.title} (${r.comments})</li>`).join('')}</ul>`;
		}
		// What only a member sees (their name, links to the workspace), as the real pages do.
		if (member) html += '<nav>Espace de travail — Connecté·e</nav>';
		return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8', ...(member ? { 'cache-control': 'private, no-store' } : {}) } });
	}
	async function get(lab: LabSummary, path: string, opts: { cookie?: string; headers?: Record<string, string> } = {}): Promise<Response> {
		const url = new URL(`${ORIGIN}${path}`);
		const request = new Request(url, { headers: { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...opts.headers } });
		const member = Boolean(opts.cookie?.includes('labo_session='));
		const slug = cacheableSlug('GET', url.pathname, true);
		// Asked for every request, members' too: the cache itself refuses those with a session cookie.
		const ticket = slug ? await cache.open(db, { request, url, slug, locale: 'fr' }) : null;
		if (ticket?.response) return ticket.response;
		const validators = slug && !member ? await publicValidators(db, slug, path, 'fr') : null;
		const res = await render(lab, path, member);
		if (validators && res.status === 200) {
			res.headers.set('ETag', validators.etag);
			res.headers.set('Last-Modified', validators.lastModified);
			res.headers.set('Cache-Control', PUBLIC_CACHE_CONTROL);
			res.headers.set('Vary', 'Cookie');
		}
		return ticket ? ticket.store(res) : res;
	}
	return s;
}

const text = async (r: Response) => ({ status: r.status, body: await r.text() });

describeEachDialect('public render cache', (getDb) => {
	let other: Db;
	beforeAll(() => {
		// The second server's own connection to the same database.
		other = createDb({ url: (getDb() as unknown as { __url: string }).__url });
	});
	afterAll(async () => {
		await other?.destroy();
	});

	async function published(db: Db, over: Partial<PostInput> = {}) {
		const lab = await makeLab(db);
		const resident = await makeMember(db, lab, 'resident');
		const id = await createPost(db, resident.ctx, postInput(over));
		await changeState(db, resident.ctx, id, { to: 'published' });
		const p = await getPost(db, resident.ctx, id);
		return { lab, resident, id, path: `/l/${lab.slug}/journal/${p.slug}`, index: `/l/${lab.slug}/journal` };
	}

	it('serves the copy until a write changes the page, then renders it again (one server)', async () => {
		const db = getDb();
		const { lab, resident, id, path, index } = await published(db, { title: 'Première version' });
		const a = server(db);
		const first = await text(await a.get(lab, path));
		expect(first.body).toContain('Première version');
		expect(a.renders).toBe(1);
		const before = Date.now();
		const again = await a.get(lab, path);
		expect(a.renders).toBe(1);
		expect(again.headers.get('cache-control')).toBe(PUBLIC_CACHE_CONTROL);
		// The comment form's time is that of each answer, not of the render.
		const shownAt = Number(/name="startedAt" value="(\d+)"/.exec(await again.text())![1]);
		expect(shownAt).toBeGreaterThanOrEqual(before);

		// A visitor's comment waits for moderation: the public page does not change.
		const { id: commentId } = await postComment(db, lab, { id, slug: '', comments_open: 1 }, commentInput({ body: 'Un avis zéphyrin.' }), null, ORIGIN);
		expect((await text(await a.get(lab, path))).body).not.toContain('zéphyrin');
		// Approved: the next answer shows it, on the post and in the index's count.
		expect((await text(await a.get(lab, index))).body).toContain('(0)');
		await moderate(db, resident.ctx, [commentId], 'approve');
		expect((await text(await a.get(lab, path))).body).toContain('zéphyrin');
		expect((await text(await a.get(lab, index))).body).toContain('(1)');
		const renders = a.renders;
		await updatePost(
			db,
			resident.ctx,
			id,
			postInput({ title: 'Deuxième version', slug: path.split('/').at(-1)! }),
			(await getPost(db, resident.ctx, id)).version
		);
		expect((await text(await a.get(lab, path))).body).toContain('Deuxième version');
		expect(a.renders).toBe(renders + 1);
		await changeState(db, resident.ctx, id, { to: 'unpublished' });
		expect((await a.get(lab, path)).status).toBe(404);
		expect((await text(await a.get(lab, index))).body).not.toContain('Deuxième version');
	});

	it('never serves a copy after a write made through another server sharing the database', async () => {
		const db = getDb();
		const { lab, resident, id, path, index } = await published(db, { title: 'Version A' });
		const a = server(db);
		const b = server(other);
		// Both servers hold a copy of the post and of the index.
		for (const s of [a, b]) {
			expect((await text(await s.get(lab, path))).body).toContain('Version A');
			await s.get(lab, index);
			await s.get(lab, path);
		}
		expect([a.renders, b.renders]).toEqual([2, 2]);

		// B edits the post (its service, its connection): A renders again at once.
		const ctxB = { ...resident.ctx };
		await updatePost(other, ctxB, id, postInput({ title: 'Version B', slug: path.split('/').at(-1)! }), (await getPost(other, ctxB, id)).version);
		expect((await text(await a.get(lab, path))).body).toContain('Version B');
		expect((await text(await a.get(lab, index))).body).toContain('Version B');
		expect((await text(await b.get(lab, path))).body).toContain('Version B');

		// A approves a comment: B's copy is old.
		const { id: c } = await postComment(db, lab, { id, slug: '', comments_open: 1 }, commentInput({ body: 'Remarque boréale.' }), null, ORIGIN);
		await b.get(lab, path);
		await moderate(db, resident.ctx, [c], 'approve');
		expect((await text(await b.get(lab, path))).body).toContain('boréale');
		// Spam afterwards takes it away on both.
		await moderate(other, resident.ctx, [c], 'spam');
		for (const s of [a, b]) expect((await text(await s.get(lab, path))).body).not.toContain('boréale');

		// A lab setting shown publicly, changed on A, invalidates B too.
		const vb = (await readContentVersion(other, lab.id)).version;
		await updateLabSettings(db, { ...resident.ctx, role: 'coordinator' }, { publishFunding: true });
		expect((await readContentVersion(other, lab.id)).version).toBeGreaterThan(vb);
		const rb = b.renders;
		await b.get(lab, path);
		expect(b.renders).toBe(rb + 1);

		// Unpublished through B: A answers 404 and keeps nothing.
		await changeState(other, resident.ctx, id, { to: 'unpublished' });
		expect((await a.get(lab, path)).status).toBe(404);
		expect((await a.get(lab, path)).status).toBe(404);
	});

	it('never gives a member the visitors’ copy, nor visitors a member’s page', async () => {
		const db = getDb();
		const { lab, path } = await published(db);
		const a = server(db);
		const anon = await text(await a.get(lab, path));
		expect(anon.body).not.toContain('Connecté·e');
		// A member (any session cookie, valid or not, under either name) is rendered for themselves.
		for (const cookie of ['labo_session=abc', 'labo_locale=en; __Host-labo_session=xyz']) {
			const before = a.renders;
			const member = await text(await a.get(lab, path, { cookie }));
			expect(member.body).toContain('Connecté·e');
			expect(a.renders).toBe(before + 1);
		}
		// The visitors' copy is still theirs; nothing a member got was kept.
		const before = a.renders;
		const again = await text(await a.get(lab, path, { cookie: 'labo_locale=fr' }));
		expect(again.body).not.toContain('Connecté·e');
		expect(a.renders).toBe(before);

		// A fresh server whose first request is a member's keeps nothing for visitors.
		const b = server(db);
		await b.get(lab, path, { cookie: 'labo_session=abc' });
		expect(b.cache.pages.size).toBe(0);
		expect((await text(await b.get(lab, path))).body).not.toContain('Connecté·e');
		expect(b.renders).toBe(2);
	});

	it('answers 304 from the copy when the visitor has it, and a full page once it changed', async () => {
		const db = getDb();
		const { lab, resident, id, path } = await published(db);
		const a = server(db);
		const etag = (await a.get(lab, path)).headers.get('etag')!;
		expect(etag).toMatch(/^W\//);
		const renders = a.renders;
		const r = await a.get(lab, path, { headers: { 'if-none-match': etag } });
		expect(r.status).toBe(304);
		expect(r.headers.get('etag')).toBe(etag);
		expect(a.renders).toBe(renders);
		await updatePost(db, resident.ctx, id, postInput({ title: 'Changé', slug: path.split('/').at(-1)! }), (await getPost(db, resident.ctx, id)).version);
		expect((await a.get(lab, path, { headers: { 'if-none-match': etag } })).status).toBe(200);
	});

	it('publishes a scheduled post whose time has come before serving any copy', async () => {
		const db = getDb();
		const { lab, resident, index } = await published(db);
		const a = server(db);
		const id = await createPost(db, resident.ctx, postInput({ title: 'Programmé plus tard' }));
		const at = new Date(Date.now() + 3_600_000).toISOString();
		await changeState(db, resident.ctx, id, { to: 'scheduled', at });
		expect((await readContentVersion(db, lab.id)).nextPublishAt).toBe(at);
		expect((await text(await a.get(lab, index))).body).not.toContain('Programmé plus tard');
		await a.get(lab, index);
		// The clock reaches its time (moved back here instead of waiting).
		const past = new Date(Date.now() - 1000).toISOString();
		await db.updateTable('post').set({ publish_at: past }).where('id', '=', id).execute();
		await setNextPublish(db, lab.id, past);
		expect((await text(await a.get(lab, index))).body).toContain('Programmé plus tard');
		expect((await readContentVersion(db, lab.id)).nextPublishAt).toBeNull();
	});
});

describeEachDialect('public content version', (getDb) => {
	it('moves with every write that changes what the public site shows', async () => {
		const db = getDb();
		const lab = await makeLab(db);
		const resident = (await makeMember(db, lab, 'resident')).ctx;
		const coordinator = (await makeMember(db, lab, 'coordinator')).ctx;
		const paths = ['', '/journal', '/sitemap.xml'].map((p) => `/l/${lab.slug}${p}`);
		const etags = async () => Promise.all(paths.map(async (p) => (await publicValidators(db, lab.slug, p, 'fr'))!.etag));
		/** Runs a write; when any public ETag moved, the version must have moved too. */
		const write = async (name: string, fn: () => Promise<unknown>, mustMove: boolean) => {
			const [e0, v0] = [await etags(), (await readContentVersion(db, lab.id)).version];
			await fn();
			const [e1, v1] = [await etags(), (await readContentVersion(db, lab.id)).version];
			const moved = e1.some((e, i) => e !== e0[i]);
			expect(moved, `${name}: the public site changed`).toBe(mustMove);
			if (moved) expect(v1, `${name}: the version`).toBeGreaterThan(v0);
		};
		const x: ExperimentInput = {
			title: 'Lycée Claret',
			scenario: 'AMO',
			summary: 'Résumé.',
			sponsor: 'DL',
			operator: 'Agence',
			partners: '',
			lineage: '',
			conclusions: ''
		};
		const xid = await createExperiment(db, resident, x);
		await write('publishing an experiment', () => setExperimentPublished(db, resident, xid, true), true);
		await write('editing a published experiment', () => updateExperiment(db, resident, xid, { ...x, title: 'Lycée Claret (2)' }), true);
		await write('moving a published experiment', () => moveExperiment(db, resident, xid, 'idea', 'framing'), true);
		const k = await createKnowledge(db, resident, { type: 'principle', title: 'Idée', body: 'Texte.', tags: [], visibility: 'lab' });
		await write(
			'making a knowledge item public',
			() => updateKnowledge(db, resident, k, 1, { type: 'principle', title: 'Idée', body: 'Texte.', tags: [], visibility: 'public' }),
			true
		);
		const pid = await createPost(db, resident, postInput());
		await write('publishing a post', () => changeState(db, resident, pid, { to: 'published' }), true);
		const p = await getPost(db, resident, pid);
		await write('editing a published post', () => updatePost(db, resident, pid, postInput({ title: 'Nouveau titre', slug: p.slug }), p.version), true);
		const { id: c } = await postComment(db, lab, { id: pid, slug: p.slug, comments_open: 1 }, commentInput(), null, ORIGIN);
		await write('approving a comment', () => moderate(db, resident, [c], 'approve'), true);
		await write('a lab setting shown publicly', () => updateLabSettings(db, coordinator, { publishFunding: true }), true);
		await write('unpublishing the post', () => changeState(db, resident, pid, { to: 'unpublished' }), true);
	});
});

describe('page cache memory', () => {
	let handle: Awaited<ReturnType<typeof freshDb>>;
	beforeAll(async () => {
		handle = await freshDb('sqlite');
	});
	afterAll(async () => {
		await handle.drop();
	});

	it('stays under its bound with 100,000 distinct addresses of realistic pages', async () => {
		const bound = 24 * 1024 * 1024;
		const db = handle.db;
		const lab = await makeLab(db, { slug: `bench-${uid()}` });
		const cache = new PublicPageCache({ maxBytes: bound, labIdOf: async () => lab.id, publishDue: async () => undefined });
		const template = Buffer.from('<li>Lecteur : Merci pour ce billet <em>très</em> utile.</li>\n'.repeat(4000));
		let keptBytes = 0;
		// One visitor's request (no cookie, no validators); the address is what changes.
		const request = new Request(ORIGIN);
		for (let i = 0; i < 100_000; i++) {
			// Pages of 2 KB to 22 KB (lists, short posts), and one in fifty a post of 200 KB with its comments.
			const size = i % 50 === 49 ? 200 * 1024 : 2048 + Math.floor(((i * 7919) % 100) ** 3 / 50);
			const url = new URL(`${ORIGIN}/l/bench/journal/billet-${i}?page=${i % 7}`);
			const ticket = (await cache.open(db, { request, url, slug: 'bench', locale: 'fr' }))!;
			expect(ticket.response).toBeNull();
			const body = new Uint8Array(size);
			body.set(template.subarray(0, Math.min(size, template.length)));
			// The bytes as store() holds them once read from the response (reading 100,000 responses is slow).
			ticket.storeBytes(200, new Headers({ 'content-type': 'text/html; charset=utf-8', etag: `W/"${i}"`, 'cache-control': PUBLIC_CACHE_CONTROL }), body);
			if (cache.pages.bytes > bound) throw new Error(`over the bound at ${i}: ${cache.pages.bytes}`);
			if (i % 10_000 === 9_999) {
				keptBytes = 0;
				for (const [, page] of cache.pages.entries()) {
					// What is held is exactly the page: no larger buffer kept alive behind it.
					expect(page.body.buffer.byteLength).toBe(page.body.byteLength);
					keptBytes += page.body.byteLength;
				}
				expect(keptBytes).toBeLessThanOrEqual(bound);
			}
		}
		expect(cache.stats.stored).toBe(100_000);
		// Full, yet within the bound: the most recent pages are kept, the oldest dropped.
		expect(keptBytes).toBeGreaterThan(bound * 0.8);
		expect(cache.pages.size).toBeLessThan(100_000);
		const last = new URL(`${ORIGIN}/l/bench/journal/billet-99999?page=${99_999 % 7}`);
		expect((await cache.open(db, { request: new Request(last), url: last, slug: 'bench', locale: 'fr' }))!.response?.status).toBe(200);
		const first = new URL(`${ORIGIN}/l/bench/journal/billet-0?page=0`);
		expect((await cache.open(db, { request: new Request(first), url: first, slug: 'bench', locale: 'fr' }))!.response).toBeNull();
	}, 120_000);

	it('drops the least recently used entry first and refuses one larger than its share', () => {
		const lru = new ByteLru<string>(10_000, 4_000);
		expect(lru.set('a', 'a', 2000)).toBe(true);
		expect(lru.set('b', 'b', 2000)).toBe(true);
		expect(lru.set('c', 'c', 2000)).toBe(true);
		lru.get('a');
		expect(lru.set('d', 'd', 3000)).toBe(true);
		expect([...lru.entries()].map(([k]) => k)).toEqual(['c', 'a', 'd']);
		expect(lru.bytes).toBeLessThanOrEqual(10_000);
		expect(lru.set('huge', 'x', 5000)).toBe(false);
		expect(lru.get('huge')).toBeUndefined();
	});
});
