/**
 * The journal at the service level, on both databases: posts with series and episodes,
 * conflicting saves refused, the state machine with scheduled publication, the public side
 * (lists, series order, preview links, links and backlinks only to what is public), Atom,
 * sitemap and the validators that let the public site answer 304.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember, uid } from '../factories';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';
import {
	changeState,
	createPost,
	getPost,
	issuePreviewLink,
	listAllPosts,
	previewPost,
	publicBacklinks,
	publicPost,
	publicPosts,
	publishDue,
	renderPublicBody,
	sitemapEntries,
	updatePost,
	type PostInput
} from '../../src/lib/server/journal/posts.service';
import { atomFeed } from '../../src/lib/server/journal/feeds';
import { cacheableSlug, notModified, publicValidators } from '../../src/lib/server/journal/cache';
import { createKnowledge } from '../../src/lib/server/knowledge/knowledge.service';
import { search } from '../../src/lib/server/search/search.service';
import { findRedirect } from '../../src/lib/server/journal/redirects';
import { displayTitle } from '../../src/lib/shared/journal';

const post = (over: Partial<PostInput> = {}): PostInput => ({
	kind: 'post',
	title: 'préparer la construction du labo',
	slug: '',
	series: 'Semaine',
	episode: '9.2',
	excerpt: 'Un chapeau.',
	body: 'Texte.',
	tags: ['Réseau'],
	authorPersonIds: [],
	byLab: true,
	coverFileId: null,
	commentsOpen: true,
	...over
});

describeEachDialect('journal', (getDb) => {
	let lab: LabSummary;
	let resident: LabContext;

	beforeAll(async () => {
		lab = await makeLab(getDb());
		resident = (await makeMember(getDb(), lab, 'resident')).ctx;
	});

	it('writes numbered posts with clean addresses and refuses a conflicting save', async () => {
		const db = getDb();
		const id = await createPost(db, resident, post({ authorPersonIds: [resident.actor!.personId], byLab: false }));
		const p = await getPost(db, resident, id);
		expect(p).toMatchObject({
			slug: 'semaine-9-2-preparer-la-construction-du-labo',
			series: 'Semaine',
			episode: '9.2',
			state: 'draft',
			tags: ['réseau'],
			authors: [resident.actor!.name]
		});
		await updatePost(db, resident, id, post({ body: 'Première version.' }), p.version);
		await expect(updatePost(db, resident, id, post({ body: 'Version concurrente.' }), p.version)).rejects.toMatchObject({
			code: 'journal.conflict',
			status: 409
		});
		await expect(createPost(db, resident, post({ byLab: false }))).rejects.toMatchObject({ code: 'journal.authorRequired' });
		await expect(createPost(db, resident, post({ episode: '9 2' }))).rejects.toMatchObject({ code: 'journal.episodeInvalid' });
		const referent = (await makeMember(db, lab, 'referent')).ctx;
		await expect(createPost(db, referent, post())).rejects.toMatchObject({ status: 403 });
	});

	it('drops a typed "<series> <episode> :" from the title and the address, and keeps a moved post\'s old address', async () => {
		const db = getDb();
		const w = uid();
		const id = await createPost(db, resident, post({ series: 'Semaine', episode: '10.1', title: `Semaine 10.1 : bilan ${w}` }));
		const p = await getPost(db, resident, id);
		expect(p.title).toBe(`bilan ${w}`);
		expect(displayTitle(p)).toBe(`Semaine 10.1 : bilan ${w}`);
		expect(p.slug).toBe(`semaine-10-1-bilan-${w}`.toLowerCase());
		// Another series, or none: the title is kept as typed.
		const other = await createPost(db, resident, post({ series: 'Atelier', episode: '2', title: `Semaine 10.1 : autre ${w}` }));
		expect((await getPost(db, resident, other)).title).toBe(`Semaine 10.1 : autre ${w}`);

		// A draft moves without a trace; once published, its old address leads to the new one.
		await updatePost(db, resident, id, post({ series: 'Semaine', episode: '10.1', title: `bilan ${w}`, slug: `brouillon-${w}`.toLowerCase() }), p.version);
		const at = (slug: string) => `/l/${lab.slug}/journal/${slug}`;
		expect(await findRedirect(db, at(p.slug))).toBeNull();
		await changeState(db, resident, id, { to: 'published' });
		const published = await getPost(db, resident, id);
		await updatePost(
			db,
			resident,
			id,
			post({ series: 'Semaine', episode: '10.1', title: `bilan ${w}`, slug: `bilan-final-${w}`.toLowerCase() }),
			published.version
		);
		expect(await findRedirect(db, at(`brouillon-${w}`.toLowerCase()))).toBe(at(`bilan-final-${w}`.toLowerCase()));
		expect(await findRedirect(db, `${at(`brouillon-${w}`.toLowerCase())}/`)).toBe(at(`bilan-final-${w}`.toLowerCase()));
		// Moved again: the first address follows to the latest one, and the way back is open.
		const again = await getPost(db, resident, id);
		await updatePost(db, resident, id, post({ series: 'Semaine', episode: '10.1', title: `bilan ${w}`, slug: `brouillon-${w}`.toLowerCase() }), again.version);
		expect(await findRedirect(db, at(`bilan-final-${w}`.toLowerCase()))).toBe(at(`brouillon-${w}`.toLowerCase()));
		expect(await findRedirect(db, at(`brouillon-${w}`.toLowerCase()))).toBeNull();
		const rows = await db
			.selectFrom('redirect')
			.where('lab_id', '=', lab.id)
			.where('to_path', 'like', `%${w.toLowerCase()}%`)
			.select(['from_path', 'to_path'])
			.execute();
		expect(rows).toEqual([{ from_path: at(`bilan-final-${w}`.toLowerCase()), to_path: at(`brouillon-${w}`.toLowerCase()) }]);
	});

	it('publishes a scheduled post at its time, and not before', async () => {
		const db = getDb();
		const id = await createPost(db, resident, post({ title: `programmé ${uid()}`, episode: '10.1' }));
		await expect(changeState(db, resident, id, { to: 'scheduled', at: new Date(Date.now() - 60_000).toISOString() })).rejects.toMatchObject({
			code: 'journal.scheduleInPast'
		});
		const at = new Date(Date.now() + 3_600_000).toISOString();
		await changeState(db, resident, id, { to: 'scheduled', at });
		const slug = (await getPost(db, resident, id)).slug;
		expect(await publicPost(db, lab, slug)).toBeNull();
		expect(await publishDue(db, lab.id, new Date(Date.now() + 1_800_000).toISOString())).toBe(0);
		expect(await publishDue(db, lab.id, new Date(Date.now() + 3_700_000).toISOString())).toBe(1);
		const published = await publicPost(db, lab, slug);
		expect(published!.publishedAt).toBe(at);
		await expect(changeState(db, resident, id, { to: 'scheduled', at })).rejects.toMatchObject({ code: 'journal.badMove' });
		await changeState(db, resident, id, { to: 'unpublished' });
		expect(await publicPost(db, lab, slug)).toBeNull();
	});

	it('is found in search under its publication date, not the day it was indexed', async () => {
		const db = getDb();
		const word = `datation${uid().replace(/[^a-z]/g, '')}`;
		const id = await createPost(db, resident, post({ title: `billet ${word}`, episode: '', series: '' }));
		const at = new Date(Date.now() + 40 * 86_400_000).toISOString();
		await changeState(db, resident, id, { to: 'scheduled', at });
		expect(await publishDue(db, lab.id, new Date(Date.now() + 41 * 86_400_000).toISOString())).toBeGreaterThanOrEqual(1);
		const day = at.slice(0, 10);
		const hits = (await search(db, resident, { q: word })).hits;
		expect(hits.map((h) => [h.id, h.date])).toEqual([[id, at]]);
		expect((await search(db, resident, { q: word, from: day, to: day })).hits.map((h) => h.id)).toEqual([id]);
		expect((await search(db, resident, { q: word, to: new Date().toISOString().slice(0, 10) })).hits).toEqual([]);
		// Editing it later keeps that date.
		await updatePost(db, resident, id, post({ title: `billet ${word} revu`, episode: '', series: '' }), 1);
		expect((await search(db, resident, { q: word })).hits.map((h) => h.date)).toEqual([at]);
	});

	it('lists published posts, a series by episode, a tag, and shares drafts by preview link', async () => {
		const db = getDb();
		const l = await makeLab(db);
		const r = (await makeMember(db, l, 'resident')).ctx;
		for (const [episode, title] of [
			['9.10', 'dixième'],
			['9.2', 'deuxième'],
			['10', 'dix']
		]) {
			const id = await createPost(db, r, post({ episode, title, tags: episode === '9.2' ? ['coordination'] : [] }));
			await changeState(db, r, id, { to: 'published' });
		}
		const draft = await createPost(db, r, post({ series: 'Atelier', episode: '1', title: 'brouillon' }));
		const series = await publicPosts(db, l, { series: 'Semaine' });
		expect(series.rows.map((p) => p.episode)).toEqual(['10', '9.10', '9.2']);
		expect((await publicPosts(db, l, { tag: 'coordination' })).rows.map((p) => p.episode)).toEqual(['9.2']);
		expect((await publicPosts(db, l, {})).total).toBe(3);
		const { token } = await issuePreviewLink(db, r, draft);
		expect((await previewPost(db, l, token))!.title).toBe('brouillon');
		expect(await previewPost(db, lab, token)).toBeNull();
		expect((await listAllPosts(db, r, {})).total).toBe(4);
	});

	it('links "[[Semaine 7.2]]" to the post, with a backlink, and links only to what is public', async () => {
		const db = getDb();
		const l = await makeLab(db);
		const r = (await makeMember(db, l, 'resident')).ctx;
		const p72 = await createPost(db, r, post({ episode: '7.2', title: 'des ateliers aux terrains' }));
		await changeState(db, r, p72, { to: 'published' });
		await createKnowledge(db, r, { type: 'lesson', title: 'Leçon interne', body: '', tags: [], visibility: 'lab' });
		await createKnowledge(db, r, { type: 'principle', title: 'Principe public', body: '', tags: [], visibility: 'public' });
		const body = 'Voir [[Semaine 7.2]], [[Leçon interne]] et [[Principe public]].';
		const p92 = await createPost(db, r, post({ body }));
		await changeState(db, r, p92, { to: 'published' });
		const html = await renderPublicBody(db, l, body);
		expect(html).toContain(`href="/l/${l.slug}/journal/semaine-7-2-des-ateliers-aux-terrains"`);
		expect(html).toMatch(/href="\/l\/[^"]+\/public\/knowledge\/[0-9a-f-]+">Principe public/);
		expect(html).toContain('Leçon interne');
		expect(html).not.toMatch(/href="[^"]+\/knowledge\/[0-9a-f-]+">Leçon interne/);
		const back = await publicBacklinks(db, l.id, { type: 'post', id: p72 });
		expect(back.map((b) => b.episode)).toEqual(['9.2']);
	});

	it('renders only the lab’s own images and refuses scripts', async () => {
		const html = await renderPublicBody(
			getDb(),
			lab,
			`![a](/l/${lab.slug}/journal/images/00000000-0000-4000-8000-000000000000) ![b](https://tracker.example/x.png) <img src=x onerror=alert(1)>`
		);
		expect(html).toContain('<img src="/l/');
		expect(html).not.toContain('tracker.example/x.png"');
		expect(html).not.toContain('onerror');
	});

	it('makes an Atom feed, a sitemap, finds posts in search, and answers 304 until something changes', async () => {
		const db = getDb();
		const l = await makeLab(db);
		const r = (await makeMember(db, l, 'resident')).ctx;
		const id = await createPost(db, r, post({ body: 'La **coordination** du labo.' }));
		await changeState(db, r, id, { to: 'published' });
		const { xml } = await atomFeed(db, l, 'http://labo.test');
		expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
		expect(xml).toContain('<title>Semaine 9.2 : préparer la construction du labo</title>');
		expect(xml).toContain('&lt;strong&gt;coordination&lt;/strong&gt;');
		expect(xml).toContain(`href="http://labo.test/l/${l.slug}/journal/semaine-9-2-preparer-la-construction-du-labo"`);
		expect((await sitemapEntries(db, l)).posts).toHaveLength(1);
		const found = await search(db, (await makeMember(db, l, 'partner')).ctx, { q: 'coordination' });
		expect(found.hits.map((h) => h.id)).toContain(id);

		const path = `/l/${l.slug}/journal`;
		const v1 = (await publicValidators(db, l.slug, path, 'fr'))!;
		expect(notModified(new Request('http://x', { headers: { 'if-none-match': v1.etag } }), v1)).toBe(true);
		expect(notModified(new Request('http://x', { headers: { 'if-modified-since': v1.lastModified } }), v1)).toBe(true);
		expect((await publicValidators(db, l.slug, path, 'en'))!.etag).not.toBe(v1.etag);
		await updatePost(db, r, id, post({ body: 'Changé.' }), (await getPost(db, r, id)).version);
		const v2 = (await publicValidators(db, l.slug, path, 'fr'))!;
		expect(v2.etag).not.toBe(v1.etag);
		expect(notModified(new Request('http://x', { headers: { 'if-none-match': v1.etag } }), v2)).toBe(false);
	});

	it('revalidates only the public pages of anonymous visitors', () => {
		expect(cacheableSlug('GET', '/l/paca', true)).toBe('paca');
		expect(cacheableSlug('GET', '/l/paca/journal/semaine-9-2', true)).toBe('paca');
		expect(cacheableSlug('GET', '/l/paca/public/knowledge/x', true)).toBe('paca');
		expect(cacheableSlug('GET', '/l/paca/sitemap.xml', true)).toBe('paca');
		expect(cacheableSlug('GET', '/l/paca', false)).toBeNull();
		expect(cacheableSlug('POST', '/l/paca/journal', true)).toBeNull();
		for (const p of [
			'/l/paca/journal/admin',
			'/l/paca/journal/moderation',
			'/l/paca/journal/preview/x',
			'/l/paca/journal/images/x',
			'/l/paca/members',
			'/l/paca/events'
		])
			expect(cacheableSlug('GET', p, true)).toBeNull();
	});
});
