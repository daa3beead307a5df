/** Small helpers shared by the benchmarks: a bounded keep-alive load loop and percentiles. */
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';

export interface LoadResult {
	requests: number;
	errors: number;
	seconds: number;
	rps: number;
	p50: number;
	p99: number;
}

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
	return sorted[Math.max(0, i)]!;
}

/**
 * Sends GET requests over `connections` keep-alive connections for `seconds` (after a warm-up),
 * to loopback only. Bounded in time and count; stops by itself.
 */
export async function load(
	url: string,
	opts: {
		connections: number;
		seconds: number;
		warmupSeconds?: number;
		headers?: Record<string, string>;
		maxRequests?: number;
		okStatus?: number;
		before?: () => Promise<void>;
	}
): Promise<LoadResult> {
	const u = new URL(url);
	if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) throw new Error('benchmarks only target loopback');
	const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
	const one = () =>
		new Promise<number>((resolve) => {
			const t0 = process.hrtime.bigint();
			const req = http.get({ host: u.hostname, port: u.port, path: u.pathname + u.search, agent, headers: opts.headers }, (res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode === (opts.okStatus ?? 200) ? Number(process.hrtime.bigint() - t0) / 1e6 : -1));
			});
			req.on('error', () => resolve(-1));
		});
	const run = async (seconds: number, record: boolean) => {
		const latencies: number[] = [];
		let errors = 0;
		let count = 0;
		const end = Date.now() + seconds * 1000;
		const max = opts.maxRequests ?? 1_000_000;
		const worker = async () => {
			while (Date.now() < end && count < max) {
				count++;
				// Work done before each request (e.g. a write), outside its measured time.
				if (opts.before) await opts.before();
				const ms = await one();
				if (!record) continue;
				if (ms < 0) errors++;
				else latencies.push(ms);
			}
		};
		const start = Date.now();
		await Promise.all(Array.from({ length: opts.connections }, worker));
		return { latencies, errors, elapsed: (Date.now() - start) / 1000 };
	};
	await run(opts.warmupSeconds ?? 1, false);
	const { latencies, errors, elapsed } = await run(opts.seconds, true);
	agent.destroy();
	latencies.sort((a, b) => a - b);
	return {
		requests: latencies.length,
		errors,
		seconds: elapsed,
		rps: latencies.length / elapsed,
		p50: percentile(latencies, 50),
		p99: percentile(latencies, 99)
	};
}

export function machine(): string {
	const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
	return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '—');

/**
 * Runs `measure` on a fresh, migrated SQLite file, then on a fresh PostgreSQL database in a
 * throwaway cluster when the system has PostgreSQL; cleans everything up.
 */
export async function onBothDatabases(measure: (name: string, db: import('../src/lib/server/db').Db) => Promise<void>, pgPoolSize = 2): Promise<void> {
	const fs = await import('node:fs');
	const path = await import('node:path');
	const pg = (await import('pg')).default;
	const { createDb, migrate } = await import('../src/lib/server/db');
	const { findPgBin, startPgCluster } = await import('../tests/setup/pg');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labo-bench-'));
	try {
		const sqlite = createDb({ url: path.join(dir, 'bench.sqlite') });
		await migrate(sqlite);
		await measure('SQLite', sqlite);
		await sqlite.destroy();
		if (!findPgBin()) {
			console.log('PostgreSQL: not installed, skipped (apt-get install postgresql)');
			return;
		}
		const cluster = await startPgCluster();
		try {
			const admin = new pg.Client({ connectionString: cluster.url('postgres') });
			await admin.connect();
			await admin.query('create database bench');
			await admin.end();
			const pgdb = createDb({ url: cluster.url('bench'), poolSize: pgPoolSize });
			await migrate(pgdb);
			await measure('PostgreSQL', pgdb);
			await pgdb.destroy();
		} finally {
			cluster.stop();
		}
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Waits until `url` answers 200 (the server under test has started), or fails after 2 minutes. */
export async function waitFor(url: string, child: ChildProcess): Promise<void> {
	const deadline = Date.now() + 120_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
		const ok = await new Promise<boolean>((resolve) => {
			http
				.get(url, (res) => {
					res.resume();
					resolve(res.statusCode === 200);
				})
				.on('error', () => resolve(false));
		});
		if (ok) return;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error('server did not start');
}

/** A bare node:http server in its own process, answering a page of the same size as the lab home. */
export function bareServer(port: number, bytes: number): ChildProcess {
	const code = `const http=require('node:http');const body=Buffer.from('<!doctype html>'+'x'.repeat(${bytes}));http.createServer((q,s)=>{s.writeHead(200,{'content-type':'text/html; charset=utf-8','content-length':body.length});s.end(body)}).listen(${port},'127.0.0.1');`;
	return spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
}
