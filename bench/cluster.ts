/**
 * npm run bench:cluster — what adding servers behind nginx buys. The production build on the
 * demo dataset (both demo labs, loaded into a throwaway PostgreSQL), three servers behind
 * Debian's nginx (tests/cluster/cluster.ts); nginx is pointed at 1, then 2, then 3 of them and
 * two pages are measured through it: the lab home of the demo coordinator (signed in) and a
 * public journal post (anonymous). Prints the median requests/s of BENCH_RUNS runs per point,
 * p50/p99 of the median run, and the ratio to one server.
 *
 * Options (environment): BENCH_SECONDS (default 5 per run), BENCH_RUNS (3),
 * BENCH_CONNECTIONS (32).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { buildIfNeeded } from '../src/cli/build';
import { createDb, migrate } from '../src/lib/server/db';
import { createSession } from '../src/lib/server/auth/session';
import { seedDemo } from '../src/lib/server/demo/seed';
import { findPgBin } from '../tests/setup/pg';
import { startCluster } from '../tests/cluster/cluster';
import { fmt, load, machine, type LoadResult } from './lib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SERVERS = 3;

const median = (xs: LoadResult[]): LoadResult => [...xs].sort((a, b) => a.rps - b.rps)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
	if (!findPgBin()) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql');
	buildIfNeeded(root);
	console.log(`machine: ${machine()}`);
	let token = '';
	let postPath = '';
	let dataset = '';
	const t0 = Date.now();
	const cluster = await startCluster({ servers: SERVERS, dir: path.join(root, '.tmp/bench-cluster'), env: { LOG_LEVEL: 'error' } }, async (url) => {
		const db = createDb({ url, poolSize: 2 });
		try {
			await migrate(db);
			await seedDemo(db);
			const coord = await db.selectFrom('account').where('email', '=', 'coordination@labo-paca.example').select('id').executeTakeFirstOrThrow();
			token = (await createSession(db, coord.id)).token;
			const post = await db
				.selectFrom('post as p')
				.innerJoin('lab as l', 'l.id', 'p.lab_id')
				.where('l.slug', '=', 'paca')
				.where('p.state', '=', 'published')
				.orderBy('p.published_at', 'desc')
				.select(['p.slug'])
				.executeTakeFirstOrThrow();
			postPath = `/l/paca/journal/${post.slug}`;
			const count = async (t: string) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(t)}`.execute(db)).rows[0]!.n);
			const [labs, people, events, posts, comments, ledger] = await Promise.all(['lab', 'person', 'event', 'post', 'comment', 'ledger_entry'].map(count));
			dataset = `the demo: ${labs} labs, ${people} people, ${events} events, ${posts} posts, ${comments} comments, ${ledger} ledger entries`;
		} finally {
			await db.destroy();
		}
	});
	try {
		console.log(`dataset: ${dataset}; PostgreSQL ${path.basename(path.dirname(findPgBin()!))}; cluster up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
		console.log(`public post: ${postPath}`);
		console.log(`${CONNECTIONS} connections through nginx, ${RUNS} runs of ${SECONDS} s per point (1 s warm-up each), median run shown\n`);
		const targets: { name: string; url: string; headers: Record<string, string> }[] = [
			{ name: 'lab home, signed-in coordinator (/l/paca)', url: `${cluster.origin}/l/paca`, headers: { Cookie: `labo_session=${token}` } },
			{ name: 'public post, anonymous', url: `${cluster.origin}${postPath}`, headers: {} as Record<string, string> }
		];
		const results = new Map<string, LoadResult[]>();
		console.log(
			[
				'target'.padEnd(58),
				'servers'.padStart(7),
				'req/s'.padStart(8),
				'p50 ms'.padStart(8),
				'p99 ms'.padStart(8),
				'errors'.padStart(7),
				'vs 1'.padStart(6)
			].join(' ')
		);
		for (let n = 1; n <= SERVERS; n++) {
			await cluster.upstreams(n);
			for (const t of targets) {
				const runs: LoadResult[] = [];
				for (let r = 0; r < RUNS; r++) runs.push(await load(t.url, { connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: 1, headers: t.headers }));
				const m = median(runs);
				results.set(`${t.name}|${n}`, runs);
				const one = median(results.get(`${t.name}|1`)!);
				console.log(
					[
						t.name.padEnd(58),
						String(n).padStart(7),
						fmt(m.rps, 0).padStart(8),
						fmt(m.p50).padStart(8),
						fmt(m.p99).padStart(8),
						String(runs.reduce((a, x) => a + x.errors, 0)).padStart(7),
						`${fmt(m.rps / one.rps, 2)}×`.padStart(6)
					].join(' ')
				);
			}
		}
		const ratio = (n: number) => targets.map((t) => median(results.get(`${t.name}|${n}`)!).rps / median(results.get(`${t.name}|1`)!).rps);
		const r2 = ratio(2);
		const r3 = ratio(3);
		const cores = os.cpus().length;
		console.log(`
What this says: each server is one Node process, and one Node process uses about one core for
rendering pages, so requests/s grow with servers only while there are cores to give them. This
machine has ${cores} core${cores > 1 ? 's' : ''} shared by nginx, PostgreSQL, ${SERVERS} servers and the load generator itself:
2 servers gave ${r2.map((r) => `${fmt(r, 2)}×`).join(' and ')} one server's rate, 3 servers ${r3.map((r) => `${fmt(r, 2)}×`).join(' and ')} (lab home, public post).
${
	cores <= 2
		? `On ${cores} cores a third server cannot scale anything: it only adds context switches and a third
pool of connections, and run-to-run noise on a shared machine is of the same order as the
differences; the ratios only show that servers do not get in each other's way (no shared lock,
no coordination on the request path), not how far they scale.`
		: ''
}
On a machine with one core per server plus room for PostgreSQL, the request path shares nothing
but the database (sessions, pages and rate limits are read from it; no server keeps state another
needs), so the rate should grow close to linearly with servers until PostgreSQL — a few indexed
reads per page here — or the network becomes the limit. Background work (jobs, mail, ticks) is
claimed through the database and does not grow with servers; LABO_WORKERS=0 keeps it off the
servers meant for pages.`);
	} finally {
		await cluster.stop();
	}
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
	process.exit(1);
});
