import fs from 'node:fs';
import { emailHash } from '../../src/lib/server/journal/comments';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember } from '../factories';
import { createDb, type Db } from '../../src/lib/server/db';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';
import { DomainError } from '../../src/lib/server/errors';
import { resetEnvForTests } from '../../src/lib/server/env';
import {
	findRedirect,
	importWxr,
	previewWxr,
	runWxrImport,
	startWxrImport,
	wxrJobProgress,
	WxrError,
	type WxrImportResult
} from '../../src/lib/server/journal/wordpress';

const ORIGIN = 'https://labo.example';
const FIXTURES = path.resolve(__dirname, '../fixtures/wordpress');
const WXR12 = 'carnet-wxr-1.2.xml';
const WXR11 = 'ancien-blog-wxr-1.1.xml';
const TRUNCATED = 'carnet-tronque.xml';
const MALFORMED = 'carnet-malforme.xml';
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labo-wxr-'));
const prevDataDir = process.env.DATA_DIR;

const TABLES = ['post', 'post_author', 'post_tag', 'comment', 'redirect', 'file', 'search_document', 'link', 'audit_entry', 'import_job'] as const;

async function rowCounts(db: Db): Promise<Record<string, number>> {
	const out: Record<string, number> = {};
	for (const t of TABLES) {
		const r = await db
			.selectFrom(t)
			.select((eb) => eb.fn.countAll().as('n'))
			.executeTakeFirstOrThrow();
		out[t] = Number(r.n);
	}
	return out;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
	return p.then(
		() => {
			throw new Error('expected a rejection');
		},
		(e: unknown) => e
	);
}

function filesOnDisk(): string[] {
	const root = path.join(dataDir, 'files');
	if (!fs.existsSync(root)) return [];
	return fs
		.readdirSync(root, { recursive: true, withFileTypes: true })
		.filter((e) => e.isFile())
		.map((e) => path.join(e.parentPath, e.name));
}

describeEachDialect('WordPress import', (getDb) => {
	let lab: LabSummary;
	let coordinator: LabContext;
	let resident: LabContext;
	let camille: { personId: string };
	let jean: { personId: string };
	let first: WxrImportResult;
	const progress: [number, number][] = [];

	beforeAll(async () => {
		process.env.DATA_DIR = dataDir;
		resetEnvForTests();
		lab = await makeLab(getDb());
		// Camille is found by her e-mail (another name in the lab), Jean by his name.
		const c = await makeMember(getDb(), lab, 'coordinator', { email: 'Camille.Martin@region.example', name: 'Camille Martin-Durand' });
		coordinator = c.ctx;
		camille = c;
		const j = await makeMember(getDb(), lab, 'resident', { name: 'Jean Dupont' });
		resident = j.ctx;
		jean = j;
		first = await importWxr(getDb(), coordinator, fixture(WXR12), { origin: ORIGIN, fileName: WXR12, onProgress: (d, t) => progress.push([d, t]) });
	});
	afterAll(() => {
		process.env.DATA_DIR = prevDataDir;
		resetEnvForTests();
	});

	const posts = () => getDb().selectFrom('post').where('lab_id', '=', lab.id).selectAll().orderBy('source_ref').execute();
	const bySource = async (ref: string) => (await posts()).find((p) => p.source_ref === ref)!;

	it('imports posts, pages, comments, images and redirects, and says how many', async () => {
		expect(first).toEqual({ posts: 4, pages: 1, comments: 6, images: 2, redirects: 10, skipped: 4, unchanged: 0, problems: [] });
		expect(progress.at(-1)).toEqual([10, 10]);
		expect(progress.map((p) => p[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

		const rows = await posts();
		expect(rows.map((p) => [p.source_ref, p.kind, p.slug, p.series, p.episode, p.title, p.state])).toEqual([
			['wp:101', 'post', 'semaine-9-1-lancer-latelier', 'Semaine', '9.1', 'lancer l’atelier', 'published'],
			['wp:102', 'post', 'semaine-9-2-preparer-la-restitution', 'Semaine', '9.2', 'préparer la restitution', 'published'],
			['wp:103', 'post', 'carnet-de-route', '', '', 'Carnet de route', 'scheduled'],
			['wp:104', 'post', 'idees-en-vrac', '', '', 'Idées en vrac', 'draft'],
			['wp:110', 'page', 'a-propos', '', '', 'À propos', 'published']
		]);
		const p101 = rows[0]!;
		expect(p101.published_at).toBe('2021-03-01T08:15:00.000Z');
		expect(p101.episode_sort).toBe('000009.000001');
		expect(p101.excerpt).toBe('Douze agents, un mur de post-its.');
		expect(p101.comments_open).toBe(1);
		expect(p101.body).toContain('[Image : Mur de post-its](https://carnet.labo-exemple.fr/wp-content/uploads/2021/03/atelier-post-its-1024x768.jpg)');
		expect(rows[2]!.publish_at).toBe('2099-01-15T08:00:00.000Z');
		expect(rows[2]!.published_at).toBeNull();
		expect(rows[2]!.comments_open).toBe(0);
		expect(rows[3]!.published_at).toBeNull();
		expect(rows[3]!.created_at).toBe('2021-03-20T09:30:00.000Z');

		// Images: the inline data: image and the data: attachment (gallery and cover), as WebP files.
		const p102 = rows[1]!;
		const files = await getDb().selectFrom('file').where('lab_id', '=', lab.id).selectAll().orderBy('name').execute();
		expect(files.map((f) => [f.owner_type, f.owner_id, f.mime, f.name])).toEqual([
			['post_image', p102.id, 'image/webp', 'schema-du-parcours.webp'],
			['post_image', p102.id, 'image/webp', 'semaine-9-2-preparer-la-restitution-1.webp']
		]);
		for (const f of files) {
			expect(p102.body).toContain(`](/l/${lab.slug}/journal/images/${f.id})`);
			const bytes = fs.readFileSync(path.join(dataDir, 'files', lab.id, f.sha256));
			expect(bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
			expect(bytes.length).toBe(f.size);
		}
		expect(p102.cover_file_id).toBe(files.find((f) => f.name === 'schema-du-parcours.webp')!.id);
		// A link to another imported post points to the journal now.
		expect(p102.body).toContain(`[le lancement](/l/${lab.slug}/journal/semaine-9-1-lancer-latelier)`);
		expect(p102.body).not.toContain('wp:');
		expect(p102.body).not.toContain('[gallery');

		const tags = await getDb().selectFrom('post_tag').where('lab_id', '=', lab.id).select(['post_id', 'tag']).orderBy('tag').execute();
		expect(tags.filter((t) => t.post_id === p102.id).map((t) => t.tag)).toEqual(['ateliers', 'design de service']);
		expect(tags.filter((t) => t.post_id === p101.id).map((t) => t.tag)).toEqual(['ateliers', 'usagers']);

		const docs = await getDb()
			.selectFrom('search_document')
			.where('lab_id', '=', lab.id)
			.where('doc_type', '=', 'post')
			.select(['doc_id', 'title', 'visibility'])
			.execute();
		expect(docs).toHaveLength(5);
		expect(docs.find((d) => d.doc_id === p101.id)).toMatchObject({ title: 'Semaine 9.1 — lancer l’atelier', visibility: 'public' });
		expect(docs.find((d) => d.doc_id === rows[3]!.id)!.visibility).toBe('lab');

		const audit = await getDb().selectFrom('audit_entry').where('lab_id', '=', lab.id).where('action', '=', 'journal.import').select('summary').execute();
		expect(audit).toHaveLength(1);
		expect(JSON.parse(audit[0]!.summary)).toMatchObject({ file: WXR12, posts: 4, pages: 1, comments: 6 });
	});

	it('signs posts with the lab member of the same e-mail or name, or the name alone', async () => {
		const authors = await getDb()
			.selectFrom('post_author as a')
			.innerJoin('post as p', 'p.id', 'a.post_id')
			.where('p.lab_id', '=', lab.id)
			.select(['p.source_ref', 'a.person_id', 'a.name'])
			.orderBy('p.source_ref')
			.execute();
		expect(authors).toEqual([
			{ source_ref: 'wp:101', person_id: camille.personId, name: 'Camille Martin-Durand' },
			{ source_ref: 'wp:102', person_id: jean.personId, name: 'Jean Dupont' },
			{ source_ref: 'wp:103', person_id: null, name: 'Équipe du Labo' },
			{ source_ref: 'wp:104', person_id: camille.personId, name: 'Camille Martin-Durand' },
			{ source_ref: 'wp:110', person_id: null, name: 'Équipe du Labo' }
		]);
		expect((await bySource('wp:101')).by_lab).toBe(0);
	});

	it('keeps comments’ threads, dates and states, and no commenter’s e-mail anywhere', async () => {
		const comments = await getDb().selectFrom('comment').where('lab_id', '=', lab.id).selectAll().orderBy('source_ref').execute();
		const by = new Map(comments.map((c) => [c.source_ref, c]));
		expect(comments.map((c) => [c.source_ref, c.state])).toEqual([
			['wp:501', 'approved'],
			['wp:502', 'approved'],
			['wp:503', 'pending'],
			['wp:504', 'spam'],
			['wp:507', 'approved'],
			['wp:508', 'approved']
		]);
		expect(by.get('wp:501')!.parent_id).toBeNull();
		expect(by.get('wp:502')!.parent_id).toBe(by.get('wp:501')!.id);
		expect(by.get('wp:507')!.parent_id).toBe(by.get('wp:502')!.id);
		expect(by.get('wp:501')!.created_at).toBe('2021-03-01T11:00:00.000Z');
		expect(by.get('wp:501')!.name).toBe('Léa');
		expect(by.get('wp:501')!.body).toBe('Merci pour ce compte rendu !\n\nLes formulaires en double, on connaît bien.');
		expect(by.get('wp:502')!.body).toBe('Merci Léa, on en reparle **jeudi**.');
		expect(by.get('wp:507')!.body).toBe(`Parfait. Voir aussi [la page du labo](/l/${lab.slug}/journal/a-propos).`);
		expect(by.get('wp:508')!.post_id).toBe((await bySource('wp:102')).id);
		// Commenters are known by the keyed hash comments use: Léa can erase hers by e-mail link.
		expect(by.get('wp:501')!.email_hash).toBe(emailHash('lea.commentatrice@exemple.test'));
		for (const c of comments) expect(c.person_id).toBeNull();
		const everything = JSON.stringify(await Promise.all(TABLES.map((t) => getDb().selectFrom(t).selectAll().execute())));
		for (const secret of ['lea.commentatrice@exemple.test', 'paul@exemple.test', 'spam@spam.example', '192.0.2.10']) expect(everything).not.toContain(secret);
	});

	it('changes nothing when the same file is imported again', async () => {
		const before = await rowCounts(getDb());
		const filesBefore = filesOnDisk().length;
		const again = await importWxr(getDb(), coordinator, fixture(WXR12), { origin: ORIGIN });
		expect(again).toEqual({ posts: 0, pages: 0, comments: 0, images: 0, redirects: 0, skipped: 4, unchanged: 11, problems: [] });
		expect(await rowCounts(getDb())).toEqual(before);
		expect(filesOnDisk()).toHaveLength(filesBefore);
	});

	it('answers the old addresses with the journal’s', async () => {
		const to = (slug: string) => `/l/${lab.slug}/journal/${slug}`;
		expect(await findRedirect(getDb(), '/2021/03/01/semaine-9-1-lancer-latelier/')).toBe(to('semaine-9-1-lancer-latelier'));
		expect(await findRedirect(getDb(), '/2021/03/01/semaine-9-1-lancer-latelier')).toBe(to('semaine-9-1-lancer-latelier'));
		expect(await findRedirect(getDb(), '/2021/03/08/semaine-9-2-pr%C3%A9parer-la-restitution/?utm_source=lettre')).toBe(
			to('semaine-9-2-preparer-la-restitution')
		);
		expect(await findRedirect(getDb(), '/?p=102')).toBe(to('semaine-9-2-preparer-la-restitution'));
		expect(await findRedirect(getDb(), '/?p=104&preview=true')).toBe(to('idees-en-vrac'));
		expect(await findRedirect(getDb(), '/a-propos/')).toBe(to('a-propos'));
		expect(await findRedirect(getDb(), '/?page_id=110')).toBe(to('a-propos'));
		expect(await findRedirect(getDb(), '/?p=105')).toBeNull();
		expect(await findRedirect(getDb(), '/2021/03/01/autre-chose/')).toBeNull();
		expect(await findRedirect(getDb(), '/')).toBeNull();
		expect(await findRedirect(getDb(), `/l/${lab.slug}/journal/absent`)).toBeNull();
		const redirects = await getDb().selectFrom('redirect').where('lab_id', '=', lab.id).select(['from_path', 'to_path']).orderBy('from_path').execute();
		expect(redirects).toHaveLength(10);
		expect(redirects.every((r) => r.to_path.startsWith(`/l/${lab.slug}/journal/`))).toBe(true);
	});

	it('writes nothing for a malformed or truncated file, and says where the fault is', async () => {
		const before = await rowCounts(getDb());
		const filesBefore = filesOnDisk().length;
		const bad = await rejection(importWxr(getDb(), coordinator, fixture(MALFORMED), { origin: ORIGIN }));
		expect(bad).toBeInstanceOf(WxrError);
		expect([(bad as WxrError).line, (bad as WxrError).column]).toEqual([22, 20]);
		const cut = await rejection(importWxr(getDb(), coordinator, fixture(TRUNCATED), { origin: ORIGIN }));
		expect(cut).toBeInstanceOf(WxrError);
		expect((cut as WxrError).key).toBe('journal.import.truncated');
		expect((cut as WxrError).line).toBe(197);
		expect(await rowCounts(getDb())).toEqual(before);
		expect(filesOnDisk()).toHaveLength(filesBefore);
	});

	it('writes nothing, not even image files, when the transaction fails', async () => {
		const other = await makeLab(getDb());
		const ctx = (await makeMember(getDb(), other, 'coordinator')).ctx;
		const before = await rowCounts(getDb());
		const filesBefore = filesOnDisk().length;
		// A lab that does not exist: images are converted, then the first insert fails.
		const ghost = { ...ctx, lab: { ...ctx.lab, id: '00000000-0000-4000-8000-000000000000' } };
		await rejection(importWxr(getDb(), ghost, fixture(WXR12), { origin: ORIGIN }));
		expect(await rowCounts(getDb())).toEqual(before);
		expect(filesOnDisk()).toHaveLength(filesBefore);
	});

	it('reads WXR 1.1 exports too, with a blog under /blog', async () => {
		const lab2 = await makeLab(getDb());
		const ctx = (await makeMember(getDb(), lab2, 'coordinator')).ctx;
		const res = await importWxr(getDb(), ctx, fixture(WXR11), { origin: ORIGIN });
		expect(res).toEqual({ posts: 2, pages: 1, comments: 1, images: 0, redirects: 7, skipped: 0, unchanged: 0, problems: [] });
		const rows = await getDb()
			.selectFrom('post')
			.where('lab_id', '=', lab2.id)
			.select(['slug', 'series', 'episode', 'title', 'body'])
			.orderBy('slug')
			.execute();
		expect(rows.map((r) => [r.slug, r.series, r.episode, r.title])).toEqual([
			['contact', '', '', 'Contact'],
			['semaine-3-1-premiers-pas', 'Semaine', '3.1', 'premiers pas'],
			['semaine-3-2-la-suite', 'Semaine', '3.2', 'la suite']
		]);
		expect(rows[1]!.body).toBe(
			'Premier jour au lycée Jean-Moulin : on **écoute** avant de proposer.\n\n[Image : La cour du lycée](http://www.labo-ancien.example/blog/wp-content/uploads/2014/10/cour.jpg)'
		);
		const author = await getDb()
			.selectFrom('post_author')
			.innerJoin('post', 'post.id', 'post_author.post_id')
			.where('post.lab_id', '=', lab2.id)
			.select(['person_id', 'name'])
			.executeTakeFirstOrThrow();
		expect(author).toEqual({ person_id: null, name: 'Sophie Bernard' });
		const tags = await getDb().selectFrom('post_tag').where('lab_id', '=', lab2.id).select('tag').distinct().orderBy('tag').execute();
		expect(tags.map((t) => t.tag)).toEqual(['lycées', 'terrain']);
		expect(await findRedirect(getDb(), '/blog/2014/10/06/semaine-3-1-premiers-pas/')).toBe(`/l/${lab2.slug}/journal/semaine-3-1-premiers-pas`);
		expect(await findRedirect(getDb(), '/blog/?p=12')).toBe(`/l/${lab2.slug}/journal/semaine-3-2-la-suite`);
		expect(await findRedirect(getDb(), '/blog/?page_id=20')).toBe(`/l/${lab2.slug}/journal/contact`);
		// Under /l/<slug>/, only that lab's redirects count.
		expect(await findRedirect(getDb(), `/l/${lab.slug}/blog/?p=12`)).toBeNull();
	});

	it('refuses the import to a resident (403)', async () => {
		for (const p of [
			importWxr(getDb(), resident, fixture(WXR12), { origin: ORIGIN }),
			previewWxr(getDb(), resident, Buffer.from(fixture(WXR12)), WXR12),
			startWxrImport(getDb(), resident, '00000000-0000-4000-8000-000000000000', ORIGIN)
		]) {
			const e = await rejection(p);
			expect(e).toBeInstanceOf(DomainError);
			expect((e as DomainError).status).toBe(403);
		}
	});

	it('previews, then imports as a job whose progress can be followed', async () => {
		const lab3 = await makeLab(getDb());
		const ctx = (await makeMember(getDb(), lab3, 'coordinator')).ctx;

		const broken = await previewWxr(getDb(), ctx, Buffer.from(fixture(MALFORMED)), MALFORMED);
		expect(broken).toEqual({ jobId: null, analysis: null, error: { line: 22, column: 20, key: 'journal.import.badAmpersand', params: {} } });
		expect(await getDb().selectFrom('import_job').where('lab_id', '=', lab3.id).selectAll().execute()).toEqual([]);

		const p = await previewWxr(getDb(), ctx, Buffer.from('\ufeff' + fixture(WXR12)), WXR12);
		expect(p.error).toBeNull();
		expect(p.analysis!.counts).toEqual({ posts: 4, pages: 1, comments: 6, attachments: 2, skipped: 2, unchanged: 0, commentsUnchanged: 0 });
		expect(p.analysis!.site).toEqual({ title: 'Le carnet du Labo', link: 'https://carnet.labo-exemple.fr', version: '1.2' });
		expect(p.analysis!.authors).toEqual([
			{ name: 'Camille Martin', member: null },
			{ name: 'Jean Dupont', member: null },
			{ name: 'Équipe du Labo', member: null }
		]);
		expect(p.analysis!.sample[1]).toMatchObject({
			series: 'Semaine',
			episode: '9.2',
			title: 'préparer la restitution',
			kind: 'post',
			state: 'published',
			comments: 1
		});
		// Nothing is in the journal yet, and the job keeps no commenter's e-mail.
		expect(await getDb().selectFrom('post').where('lab_id', '=', lab3.id).selectAll().execute()).toEqual([]);
		const job = await getDb().selectFrom('import_job').where('id', '=', p.jobId!).selectAll().executeTakeFirstOrThrow();
		expect(job.state).toBe('ready');
		expect(job.total).toBe(10);
		expect(job.payload).not.toContain('lea.commentatrice@exemple.test');

		const res = await runWxrImport(getDb(), ctx, p.jobId!, ORIGIN);
		expect(res).toMatchObject({ posts: 4, pages: 1, comments: 6, images: 2, redirects: 10 });
		const progress = await wxrJobProgress(getDb(), ctx, p.jobId!);
		expect(progress).toMatchObject({ state: 'done', total: 10, done: 10, fileName: WXR12, result: { posts: 4, comments: 6 } });
		expect((await getDb().selectFrom('import_job').where('id', '=', p.jobId!).select('payload').executeTakeFirstOrThrow()).payload).toBe('');
		await expect(startWxrImport(getDb(), ctx, p.jobId!, ORIGIN)).rejects.toMatchObject({ code: 'journal.import.jobNotReady' });
		await expect(wxrJobProgress(getDb(), coordinator, p.jobId!)).rejects.toMatchObject({ code: 'journal.import.jobNotFound' });

		const again = await previewWxr(getDb(), ctx, Buffer.from(fixture(WXR12)), WXR12);
		expect(again.analysis!.counts).toMatchObject({ unchanged: 5, commentsUnchanged: 6 });
	});
});

describe('labo import wordpress', () => {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'labo-cli-wxr-'));
	afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
	const env = { DATA_DIR: path.join(tmp, 'data') };

	function labo(args: string[]) {
		const r = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/cli/index.ts', ...args], {
			encoding: 'utf8',
			env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', ...env },
			timeout: 60_000
		});
		return { code: r.status, out: r.stdout, err: r.stderr };
	}

	it('imports a fixture, changes nothing the second time, and locates a malformed file', async () => {
		expect(labo(['create-lab', '--slug', 'carnet', '--name', 'Labo carnet', '--region', 'R']).code).toBe(0);
		const file = path.join(FIXTURES, WXR12);
		expect(labo(['import', 'blogger', file, '--lab', 'carnet']).code).toBe(2);
		expect(labo(['import', 'wordpress', file, '--lab', 'nulle-part']).err).toContain('labo inconnu / unknown lab: nulle-part');

		const dry = labo(['import', 'wordpress', file, '--lab', 'carnet', '--dry-run']);
		expect(dry.code, dry.err).toBe(0);
		expect(dry.out).toContain('dry run, nothing written');
		expect(dry.out).toContain('billets / posts: 4');

		const run = labo(['import', 'wordpress', file, '--lab', 'carnet']);
		expect(run.code, run.err).toBe(0);
		for (const line of [
			'billets / posts: 4',
			'pages / pages: 1',
			'commentaires / comments: 6',
			'images / images: 2',
			'redirections / redirects: 10',
			'inchangés / unchanged: 0'
		])
			expect(run.out).toContain(line);

		const again = labo(['import', 'wordpress', file, '--lab', 'carnet']);
		expect(again.code, again.err).toBe(0);
		expect(again.out).toContain('billets / posts: 0');
		expect(again.out).toContain('inchangés / unchanged: 11');

		const bad = labo(['import', 'wordpress', path.join(FIXTURES, MALFORMED), '--lab', 'carnet']);
		expect(bad.code).toBe(1);
		expect(bad.err).toContain(`${MALFORMED}:22:20: un « & » n’est pas échappé`);
		expect(bad.err).toContain('an “&” is not escaped');

		const db = createDb({ url: path.join(tmp, 'data', 'labo.sqlite') });
		const n = await db
			.selectFrom('post')
			.select((eb) => eb.fn.countAll().as('n'))
			.executeTakeFirstOrThrow();
		await db.destroy();
		expect(Number(n.n)).toBe(5);
	}, 180_000);
});
