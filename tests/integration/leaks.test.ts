/**
 * Smaller leaks, on both databases: drafts found in search only by those who may edit them,
 * images of drafts not public, and public validators (ETags) that no private row can move.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember, uid } from '../factories';
import { changeState, createPost, getPost, issuePreviewLink, previewPostId, updatePost, type PostInput } from '../../src/lib/server/journal/posts.service';
import { readJournalImage, storeJournalImage } from '../../src/lib/server/journal/images';
import { publicValidators } from '../../src/lib/server/journal/cache';
import { postComment, resetJournalSecretForTests } from '../../src/lib/server/journal/comments';
import { createKnowledge } from '../../src/lib/server/knowledge/knowledge.service';
import { search } from '../../src/lib/server/search/search.service';

const post = (over: Partial<PostInput> = {}): PostInput => ({
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

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'labo-leaks-'));
const prevDataDir = process.env.DATA_DIR;
beforeAll(() => {
	process.env.DATA_DIR = tmp;
	process.env.LABO_SECRET = 'leaks-test-secret-0123456789abcdef';
	resetJournalSecretForTests();
});
afterAll(() => {
	process.env.DATA_DIR = prevDataDir;
	fs.rmSync(tmp, { recursive: true, force: true });
});

describeEachDialect('smaller leaks', (getDb) => {
	it('finds a draft only for those who may edit it; once published, for every member', async () => {
		const db = getDb();
		const lab = await makeLab(db);
		const resident = (await makeMember(db, lab, 'resident')).ctx;
		const coordinator = (await makeMember(db, lab, 'coordinator')).ctx;
		const referent = (await makeMember(db, lab, 'referent')).ctx;
		const sponsor = (await makeMember(db, lab, 'sponsor')).ctx;
		const partner = (await makeMember(db, lab, 'partner')).ctx;
		const id = await createPost(db, resident, post({ body: 'Le projet zircophane avance.' }));
		const found = async (ctx: typeof resident, filters = {}) => (await search(db, ctx, { q: 'zircophane', ...filters })).hits.map((h) => h.id);
		expect(await found(resident)).toEqual([id]);
		expect(await found(coordinator)).toEqual([id]);
		for (const ctx of [referent, sponsor, partner]) {
			expect(await found(ctx)).toEqual([]);
			expect(await found(ctx, { types: ['post'] })).toEqual([]);
		}
		// Other documents the referent may read are still found, on both search paths.
		await createKnowledge(db, resident, { type: 'principle', title: 'Zircophane', body: 'Une idée sur le zircophane.', tags: [], visibility: 'lab' });
		expect((await search(db, referent, { q: 'zircophane' })).hits.map((h) => h.type)).toEqual(['knowledge']);
		await changeState(db, resident, id, { to: 'published' });
		for (const ctx of [referent, sponsor, partner]) expect(await found(ctx, { types: ['post'] })).toEqual([id]);
	});

	it('serves an image used only by drafts to editors and the draft’s preview link, not to visitors', async () => {
		const db = getDb();
		const lab = await makeLab(db);
		const r = (await makeMember(db, lab, 'resident')).ctx;
		const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#c00' } })
			.png()
			.toBuffer();
		const draft = await createPost(db, r, post());
		const img = await storeJournalImage(db, lab.id, 'schema.png', png, draft);
		await updatePost(db, r, draft, post({ body: `![Schéma](/l/${lab.slug}/journal/images/${img})` }), (await getPost(db, r, draft)).version);

		expect(await readJournalImage(db, lab.id, img)).toBeNull();
		expect(await readJournalImage(db, lab.id, img, { mayEdit: true })).toMatchObject({ public: false });
		const { token } = await issuePreviewLink(db, r, draft);
		expect(await readJournalImage(db, lab.id, img, { previewPostId: await previewPostId(db, lab.id, token) })).toMatchObject({ public: false });
		// Another post's preview link opens nothing here.
		const other = await createPost(db, r, post());
		const otherLink = await issuePreviewLink(db, r, other);
		expect(await readJournalImage(db, lab.id, img, { previewPostId: await previewPostId(db, lab.id, otherLink.token) })).toBeNull();

		// Published, the image is public — also when used by another published post than its owner.
		await changeState(db, r, draft, { to: 'published' });
		expect(await readJournalImage(db, lab.id, img)).toMatchObject({ public: true });
		await changeState(db, r, draft, { to: 'unpublished' });
		expect(await readJournalImage(db, lab.id, img)).toBeNull();
		const user = await createPost(db, r, post({ coverFileId: img }));
		await changeState(db, r, user, { to: 'published' });
		expect(await readJournalImage(db, lab.id, img)).toMatchObject({ public: true });
	});

	it('keeps the public ETag when a draft, a private item or a pending comment changes; publishing changes it', async () => {
		const db = getDb();
		const lab = await makeLab(db);
		const r = (await makeMember(db, lab, 'resident')).ctx;
		const shown = await createPost(db, r, post());
		await changeState(db, r, shown, { to: 'published' });
		const etag = async () => (await publicValidators(db, lab.slug, `/l/${lab.slug}/journal`, 'fr'))!.etag;
		const before = await etag();

		const draft = await createPost(db, r, post());
		await updatePost(db, r, draft, post({ body: 'Encore secret.' }), (await getPost(db, r, draft)).version);
		await createKnowledge(db, r, { type: 'principle', title: 'Interne', body: 'Privé.', tags: [], visibility: 'lab' });
		const row = await db.selectFrom('post').where('id', '=', shown).select(['id', 'slug', 'comments_open']).executeTakeFirstOrThrow();
		await postComment(
			db,
			lab,
			row,
			{ name: 'Visiteuse', email: `v-${uid()}@example.test`, body: 'En attente.', parentId: null, website: '', startedAt: Date.now() - 5000, ip: '192.0.2.44' },
			null,
			'https://labo.example'
		);
		expect(await etag()).toBe(before);

		await changeState(db, r, draft, { to: 'published' });
		expect(await etag()).not.toBe(before);
	});
});
