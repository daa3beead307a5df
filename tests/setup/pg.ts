/**
 * A throwaway PostgreSQL cluster for tests, started from the system's binaries
 * (/usr/lib/postgresql/<version>/bin). As root, the cluster runs as the `postgres` user.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { execFileSync, spawnSync } from 'node:child_process';

export interface PgCluster {
	url: (database: string) => string;
	stop: () => void;
	/** Stops the server but keeps its data, so `resume` brings the same cluster back. */
	pause: () => void;
	resume: () => void;
}

export function findPgBin(): string | null {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return null;
	const versions = fs
		.readdirSync(base)
		.filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions[0] ? path.join(base, versions[0], 'bin') : null;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
		srv.on('error', reject);
	});
}

export async function startPgCluster(): Promise<PgCluster> {
	const bin = findPgBin();
	if (!bin) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql');
	const isRoot = process.getuid?.() === 0;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labo-pg-'));
	const data = path.join(dir, 'data');
	const sock = path.join(dir, 'sock');
	fs.mkdirSync(data);
	fs.mkdirSync(sock);
	const asPg = (cmd: string, args: string[]) => (isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]) as [string, string[]];
	if (isRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
	const port = await freePort();
	const run = (cmd: string, args: string[]) => {
		const [c, a] = asPg(path.join(bin, cmd), args);
		const r = spawnSync(c, a, { encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
	};
	run('initdb', ['-D', data, '--auth=trust', '-U', 'postgres', '--encoding=UTF8', '--locale=C.UTF-8']);
	const start = () =>
		run('pg_ctl', [
			'-D',
			data,
			'-w',
			'-l',
			path.join(dir, 'log'),
			'-o',
			`-c listen_addresses=127.0.0.1 -p ${port} -k ${sock} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
			'start'
		]);
	start();
	return {
		url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
		pause: () => run('pg_ctl', ['-D', data, '-w', '-m', 'immediate', 'stop']),
		resume: start,
		stop: () => {
			try {
				run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
			} finally {
				fs.rmSync(dir, { recursive: true, force: true });
			}
		}
	};
}
