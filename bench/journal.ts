/**
 * npm run bench:journal — the production build, anonymous visitors, 32 connections:
 *  - a post page with 300 approved comments (some threaded), in a journal of 1,000 posts;
 *  - the journal index (page 1 of 100);
 *  - the same two with If-None-Match (a browser revalidating: 304 without rendering);
 *  - the same two when every request follows a write (the lab's content version moved, so the
 *    render cache misses: the first render after a write);
 * beside a bare node:http server answering a page of the post's size in the same run. The last
 * line, `ratios: name=0.123 …`, gives each target's requests per second as a fraction of the bare
 * server's, measured at the start and at the end of the run (their mean); hits are the plain post
 * and index runs (the cache keeps them after the first request).
 * Options (environment): BENCH_SECONDS (10), BENCH_POSTS (1000), BENCH_COMMENTS (300),
 * BENCH_CONNECTIONS (32).
 */
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createDb, migrate } from '../src/lib/server/db';
import { bumpContentVersion } from '../src/lib/server/publiccache';
import { freePort } from '../tests/setup/pg';
import { buildIfNeeded } from '../src/cli/build';
import { episodeSort } from '../src/lib/shared/journal';
import type { Insertable } from 'kysely';
import type { CommentTable } from '../src/lib/server/db/schema';
import { bareServer, fmt, load, machine, waitFor, type LoadResult } from './lib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const POSTS = Number(process.env.BENCH_POSTS ?? 1000);
const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 300);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const dataDir = path.join(root, '.tmp', 'bench-journal');
const LAB = '00000000-0000-4000-8000-000000000001';

const paragraph = (i: number) =>
	`Le labo a réuni agents et usagers pour la ${i}e fois. **Ce que nous retenons** : partir des usages, tester avant de généraliser, et capitaliser ce qui a été appris. Voir aussi [[Semaine ${Math.max(1, i - 1)}.1]].`;

async function generate(): Promise<void> {
	fs.rmSync(dataDir, { recursive: true, force: true });
	const db = createDb({ url: path.join(dataDir, 'labo.sqlite') });
	await migrate(db);
	const now = Date.now();
	await db.transaction().execute(async (trx) => {
		await trx
			.insertInto('lab')
			.values({
				id: LAB,
				slug: 'bench',
				name: 'Labo bench',
				region: 'PACA',
				description: 'Labo généré pour la mesure.',
				settings: '{}',
				created_at: new Date(now).toISOString()
			})
			.execute();
		const posts = [];
		for (let i = 0; i < POSTS; i++) {
			const at = new Date(now - (POSTS - i) * 86_400_000).toISOString();
			posts.push({
				id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
				lab_id: LAB,
				kind: 'post',
				slug: `semaine-${i}-1-billet-${i}`,
				title: `billet numéro ${i}`,
				series: 'Semaine',
				episode: `${i}.1`,
				episode_sort: episodeSort(`${i}.1`),
				excerpt: `Ce que la semaine ${i} a appris au labo.`,
				body: Array.from({ length: 8 }, (_, k) => paragraph(i + k)).join('\n\n'),
				cover_file_id: null,
				by_lab: 1,
				state: 'published',
				publish_at: at,
				published_at: at,
				preview_token_hash: `preview-token-hash-${String(i).padStart(8, '0')}`,
				preview_expires_at: null,
				comments_open: 1,
				version: 1,
				source_ref: null,
				created_by: null,
				created_at: at,
				updated_at: at
			});
		}
		for (let i = 0; i < posts.length; i += 200)
			await trx
				.insertInto('post')
				.values(posts.slice(i, i + 200))
				.execute();
		const target = posts[POSTS - 1]!;
		const comments: Insertable<CommentTable>[] = [];
		for (let c = 0; c < COMMENTS; c++) {
			const id = `20000000-0000-4000-8000-${String(c).padStart(12, '0')}`;
			comments.push({
				id,
				lab_id: LAB,
				post_id: target.id,
				parent_id: c % 4 === 3 ? comments[c - 1]!.id : null,
				person_id: null,
				name: `Lecteur ${c}`,
				email_hash: `h${c % 50}`,
				body: `Merci pour ce billet *très* utile, n° ${c}. Une question : comment associer les agents des lycées ?\n\nÀ bientôt.`,
				state: 'approved',
				source_ref: null,
				created_at: new Date(now - (COMMENTS - c) * 60_000).toISOString(),
				moderated_at: null,
				moderated_by: null
			});
		}
		for (let i = 0; i < comments.length; i += 200)
			await trx
				.insertInto('comment')
				.values(comments.slice(i, i + 200))
				.execute();
	});
	await db.destroy();
}

async function fetchHead(url: string): Promise<{ bytes: number; etag: string }> {
	return new Promise((resolve, reject) => {
		http
			.get(url, (res) => {
				let n = 0;
				res.on('data', (c: Buffer) => (n += c.length));
				res.on('end', () =>
					res.statusCode === 200 ? resolve({ bytes: n, etag: String(res.headers.etag ?? '') }) : reject(new Error(`${url}: ${res.statusCode}`))
				);
			})
			.on('error', reject);
	});
}

/** 304 answers count as successes for the revalidation runs. */
async function load304(url: string, etag: string): Promise<LoadResult> {
	return load(url, { connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: 2, headers: { 'if-none-match': etag }, okStatus: 304 });
}

async function main() {
	console.log(`machine: ${machine()}`);
	const t0 = Date.now();
	await generate();
	console.log(
		`dataset: 1 lab, ${POSTS} published posts, ${COMMENTS} approved comments on the newest post, generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`
	);
	buildIfNeeded(root);
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	const app = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'src/cli/start.ts')], {
		cwd: root,
		env: {
			...process.env,
			DATA_DIR: dataDir,
			PORT: String(port),
			HOST: '127.0.0.1',
			LOG_LEVEL: 'warn',
			DATABASE_URL: '',
			SMTP_URL: '',
			NODE_ENV: 'production'
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const barePort = await freePort();
	let bare: ChildProcess | undefined;
	try {
		await waitFor(`${base}/`, app);
		const post = `${base}/l/bench/journal/semaine-${POSTS - 1}-1-billet-${POSTS - 1}`;
		const index = `${base}/l/bench/journal`;
		const p = await fetchHead(post);
		const i = await fetchHead(index);
		bare = bareServer(barePort, p.bytes);
		await waitFor(`http://127.0.0.1:${barePort}/`, bare);
		const opts = { connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: 2 };
		const results: [string, LoadResult][] = [];
		results.push([`bare node:http, ${p.bytes} B (baseline)`, await load(`http://127.0.0.1:${barePort}/`, opts)]);
		results.push([`post with ${COMMENTS} comments (${p.bytes} B)`, await load(post, opts)]);
		results.push([`journal index, page 1 (${i.bytes} B)`, await load(index, opts)]);
		results.push(['post, revalidated (304)', await load304(post, p.etag)]);
		results.push(['journal index, revalidated (304)', await load304(index, i.etag)]);
		// A write before each request: every answer is the first render at a new version.
		const writer = createDb({ url: path.join(dataDir, 'labo.sqlite') });
		const write = () => bumpContentVersion(writer, LAB);
		try {
			results.push(['post, after a write (miss)', await load(post, { ...opts, before: write })]);
			results.push(['journal index, after a write (miss)', await load(index, { ...opts, before: write })]);
		} finally {
			await writer.destroy();
		}
		// The machine may be shared: the bare server runs again at the end, the baseline is the mean.
		const bareAgain = await load(`http://127.0.0.1:${barePort}/`, opts);
		results.push([`bare node:http again (end of run)`, bareAgain]);
		const baseline = (results[0]![1].rps + bareAgain.rps) / 2;
		console.log(`\n${CONNECTIONS} connections, ${SECONDS} s per target after a 2 s warm-up, anonymous visitor\n`);
		console.log(['target'.padEnd(44), 'req/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'errors'.padStart(7), 'vs bare'.padStart(8)].join(' '));
		for (const [name, r] of results)
			console.log(
				[
					name.padEnd(44),
					fmt(r.rps, 0).padStart(9),
					fmt(r.p50).padStart(8),
					fmt(r.p99).padStart(8),
					String(r.errors).padStart(7),
					`${fmt((r.rps / baseline) * 100, 1)}%`.padStart(8)
				].join(' ')
			);
		const names = ['bare_start', 'post_hit', 'index_hit', 'post_304', 'index_304', 'post_miss', 'index_miss', 'bare_end'];
		console.log(`ratios: ${results.map(([, r], k) => `${names[k]}=${(r.rps / baseline).toFixed(3)}`).join(' ')}`);
	} finally {
		app.kill('SIGTERM');
		bare?.kill('SIGTERM');
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
