/**
 * npm run bench:http — the production build on a generated large dataset (50 labs, 20,000
 * people), measured at 32 connections on the lab home page and a member list, beside a bare
 * node:http server measured in the same run. Prints requests/s, p50/p99 and the ratio.
 *
 * Options (environment): BENCH_SECONDS (default 10 per target), BENCH_LABS (50),
 * BENCH_PEOPLE (20000), BENCH_CONNECTIONS (32).
 */
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createDb, migrate } from '../src/lib/server/db';
import { hashPassword } from '../src/lib/server/auth/password';
import { ROLES } from '../src/lib/shared/roles';
import { freePort } from '../tests/setup/pg';
import { buildIfNeeded } from '../src/cli/build';
import { bareServer, fmt, load, machine, waitFor, type LoadResult } from './lib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LABS = Number(process.env.BENCH_LABS ?? 50);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 20_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PASSWORD = 'bench-password-1';
const dataDir = path.join(root, '.tmp', 'bench-http');

async function generate(): Promise<{ memberships: number; biggestLab: number }> {
	fs.rmSync(dataDir, { recursive: true, force: true });
	const db = createDb({ url: path.join(dataDir, 'labo.sqlite') });
	await migrate(db);
	const hash = await hashPassword(PASSWORD);
	const now = new Date().toISOString();
	const labs = Array.from({ length: LABS }, (_, i) => ({
		id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
		slug: `bench-${String(i).padStart(2, '0')}`,
		name: `Labo ${i}`,
		region: `Région ${i % 13}`,
		description: 'Labo généré pour la mesure de performance.',
		settings: '{}',
		created_at: now
	}));
	let memberships = 0;
	const perLab = new Array<number>(LABS).fill(0);
	await db.transaction().execute(async (trx) => {
		await trx.insertInto('lab').values(labs).execute();
		const chunk = 400;
		for (let start = 0; start < PEOPLE; start += chunk) {
			const persons = [];
			const accounts = [];
			const members = [];
			for (let i = start; i < Math.min(PEOPLE, start + chunk); i++) {
				const pid = `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
				const aid = `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
				const email = `agent${i}@bench.example`;
				persons.push({
					id: pid,
					name: `Agent ${String(i).padStart(5, '0')} Exemple`,
					email,
					organisation: `Direction ${i % 40}`,
					created_at: now,
					updated_at: now
				});
				accounts.push({ id: aid, person_id: pid, email, password_hash: hash, locale: 'fr', is_admin: 0, created_at: now, updated_at: now });
				// Lab 0 is the big one (a tenth of everyone); the rest spread over all labs.
				const labIdx = i % 10 === 0 ? 0 : i % LABS;
				const role = i < LABS ? 'coordinator' : ROLES[1 + (i % 4)]!;
				const lab = i < LABS ? i : labIdx;
				members.push({
					id: `30000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
					lab_id: labs[lab]!.id,
					account_id: aid,
					role,
					created_at: now,
					updated_at: now
				});
				perLab[lab]!++;
			}
			await trx.insertInto('person').values(persons).execute();
			await trx.insertInto('account').values(accounts).execute();
			await trx.insertInto('membership').values(members).execute();
			memberships += members.length;
		}
	});
	await db.destroy();
	return { memberships, biggestLab: perLab[0]! };
}

async function loginCookie(base: string, email: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const body = new URLSearchParams({ email, password: PASSWORD }).toString();
		const u = new URL('/login', base);
		const req = http.request(
			{
				host: u.hostname,
				port: u.port,
				path: u.pathname,
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base, accept: 'text/html' }
			},
			(res) => {
				res.resume();
				const cookie = (res.headers['set-cookie'] ?? []).find((c) => c.startsWith('labo_session='));
				if (res.statusCode !== 303 || !cookie) reject(new Error(`login failed: ${res.statusCode}`));
				else resolve(cookie.split(';')[0]!);
			}
		);
		req.end(body);
	});
}

async function size(url: string, cookie: string): Promise<number> {
	return new Promise((resolve) => {
		const u = new URL(url);
		http.get({ host: u.hostname, port: u.port, path: u.pathname, headers: { cookie } }, (res) => {
			let n = 0;
			res.on('data', (c: Buffer) => (n += c.length));
			res.on('end', () => resolve(n));
		});
	});
}

async function main() {
	console.log(`machine: ${machine()}`);
	const t0 = Date.now();
	const data = await generate();
	console.log(
		`dataset: ${LABS} labs, ${PEOPLE} people, ${data.memberships} memberships (largest lab: ${data.biggestLab} members), generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`
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
		const cookie = await loginCookie(base, 'agent0@bench.example'); // coordinator of bench-00
		const home = `${base}/l/bench-00`;
		const members = `${base}/l/bench-00/members`;
		const homeBytes = await size(home, cookie);
		bare = bareServer(barePort, homeBytes);
		await waitFor(`http://127.0.0.1:${barePort}/`, bare);

		const opts = { connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: 2, headers: { cookie } };
		const results: [string, LoadResult][] = [];
		results.push(['bare node:http (baseline)', await load(`http://127.0.0.1:${barePort}/`, opts)]);
		results.push([`lab home /l/bench-00 (${homeBytes} B)`, await load(home, opts)]);
		results.push([`member list /l/bench-00/members (page 1 of ${data.biggestLab})`, await load(members, opts)]);

		const baseline = results[0]![1].rps;
		console.log(`\n${CONNECTIONS} connections, ${SECONDS} s per target after a 2 s warm-up, logged in as a coordinator\n`);
		console.log(['target'.padEnd(56), 'req/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'errors'.padStart(7), 'vs bare'.padStart(8)].join(' '));
		for (const [name, r] of results)
			console.log(
				[
					name.padEnd(56),
					fmt(r.rps, 0).padStart(9),
					fmt(r.p50).padStart(8),
					fmt(r.p99).padStart(8),
					String(r.errors).padStart(7),
					`${fmt((r.rps / baseline) * 100, 1)}%`.padStart(8)
				].join(' ')
			);
	} finally {
		app.kill('SIGTERM');
		bare?.kill('SIGTERM');
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
