/**
 * Several Labo production servers on one throwaway PostgreSQL, behind Debian's nginx, with an
 * in-process SMTP sink counting what it receives by Message-ID. Used by the cluster suite
 * (tests/cluster/run.ts) and the cluster benchmark (bench/cluster.ts).
 *
 * Each server is `npm run serve`'s entry (src/cli/production.ts) run as one Node process
 * (`node --import tsx`, so its pid is the one in its worker id and SIGKILL reaches it), on its
 * own port, with the same DATABASE_URL, secret and ORIGIN (nginx's address).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { SMTPServer } from 'smtp-server';
import { freePort, startPgCluster, type PgCluster } from '../setup/pg';
import { createDb, migrate } from '../../src/lib/server/db';
import { startNginx, writeNginxConfig } from '../e2e-proxy/nginx';

export const CLUSTER_SECRET = 'cluster-suite-secret-0123456789';

export interface SmtpSink {
	port: number;
	/** Messages received per Message-ID (without angle brackets). */
	byId: Map<string, number>;
	received: () => number;
	close: () => Promise<void>;
}

/** A real SMTP server on loopback that only counts messages by their Message-ID header. */
export async function startSmtpSink(): Promise<SmtpSink> {
	const port = await freePort();
	const byId = new Map<string, number>();
	let received = 0;
	const smtp = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		size: 10 * 1024 * 1024,
		onData(stream, _session, cb) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				const head = raw.slice(0, Math.max(0, raw.indexOf('\r\n\r\n')) || raw.length);
				const id = /^Message-ID:\s*<?([^>\r\n]+)>?/im.exec(head)?.[1]?.trim() ?? `(none ${received})`;
				received++;
				byId.set(id, (byId.get(id) ?? 0) + 1);
				cb();
			});
		}
	});
	// A client killed mid-conversation resets its connection: that is the test, not an error.
	smtp.on('error', () => undefined);
	await new Promise<void>((resolve) => smtp.listen(port, '127.0.0.1', resolve));
	return { port, byId, received: () => received, close: () => new Promise((resolve) => smtp.close(() => resolve())) };
}

export interface LaboServer {
	index: number;
	port: number;
	proc: ChildProcess | null;
	/** Pids this slot has had (a restart gets a new one). */
	pids: number[];
}

export interface ClusterOptions {
	servers: number;
	/** Extra environment for every server (timings…). */
	env?: Record<string, string>;
	/** Where nginx, logs and files go. */
	dir: string;
}

export interface Cluster {
	pg: PgCluster;
	databaseUrl: string;
	origin: string;
	nginxPort: number;
	smtp: SmtpSink;
	servers: LaboServer[];
	accessLog: string;
	start: (i: number) => Promise<void>;
	kill: (i: number) => void;
	/** Points nginx at the first `n` servers only (the benchmark), and waits for the reload. */
	upstreams: (n: number) => Promise<void>;
	stop: () => Promise<void>;
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

function site(nginxPort: number, ports: number[]): string {
	return `
upstream labo_app {
	${ports.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n\t')}
	keepalive 32;
	keepalive_timeout 4s;
}
server {
	listen 127.0.0.1:${nginxPort};
	server_name 127.0.0.1;
	server_tokens off;
	client_max_body_size 52m;
	proxy_http_version 1.1;
	proxy_set_header Connection "";
	proxy_set_header Host $http_host;
	proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
	proxy_set_header X-Forwarded-Proto $scheme;
	proxy_set_header X-Request-Id $request_id;
	proxy_connect_timeout 2s;
	proxy_read_timeout 120s;
	# A server that died or does not answer: safe requests go to the next one (nginx never
	# replays a POST that reached a server, unless told to with non_idempotent).
	proxy_next_upstream error timeout;
	proxy_next_upstream_tries 3;
	location / {
		proxy_pass http://labo_app;
	}
}`;
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 50): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn().catch(() => null);
		if (v) return v;
		if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, everyMs));
	}
}

function probe(port: number, p: string): Promise<number> {
	return new Promise((resolve) => {
		const req = http.get({ host: '127.0.0.1', port, path: p, timeout: 1000 }, (res) => {
			res.resume();
			resolve(res.statusCode ?? 0);
		});
		req.on('error', () => resolve(0));
		req.on('timeout', () => req.destroy());
	});
}

/**
 * Starts PostgreSQL, migrates it, then starts the servers while `seed` writes its data (the
 * servers only need the schema to start); resolves once every server, nginx and the seed are ready.
 */
export async function startCluster(opts: ClusterOptions, seed: (databaseUrl: string) => Promise<void>): Promise<Cluster> {
	fs.rmSync(opts.dir, { recursive: true, force: true });
	const prefix = path.join(opts.dir, 'nginx');
	const dataDir = path.join(opts.dir, 'data');
	fs.mkdirSync(prefix, { recursive: true });
	fs.mkdirSync(dataDir, { recursive: true });
	const t0 = Date.now();
	const phase = (what: string) => process.env.CLUSTER_VERBOSE && console.log(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	const pg = await startPgCluster();
	// Whatever ends this process (a failed check, an exception, Ctrl-C) ends its servers too.
	const children = new Set<ChildProcess>();
	let stopped = false;
	const stopSync = () => {
		if (stopped) return;
		stopped = true;
		for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
		try {
			pg.stop();
		} catch {
			/* already gone */
		}
	};
	process.once('exit', stopSync);
	for (const sig of ['SIGINT', 'SIGTERM'] as const)
		process.once(sig, () => {
			stopSync();
			process.exit(130);
		});
	phase('postgresql');
	const databaseUrl = pg.url('postgres');
	const [smtp, nginxPort] = await Promise.all([startSmtpSink(), freePort()]);
	const origin = `http://127.0.0.1:${nginxPort}`;
	const servers: LaboServer[] = [];
	for (let i = 0; i < opts.servers; i++) servers.push({ index: i, port: await freePort(), proc: null, pids: [] });
	const migrated = createDb({ url: databaseUrl, poolSize: 1 });
	await migrate(migrated).finally(() => migrated.destroy());
	phase('migrations');
	const seeding = seed(databaseUrl).then(() => phase('seed'));

	const env = (s: LaboServer): NodeJS.ProcessEnv => ({
		...process.env,
		NODE_ENV: 'production',
		DATABASE_URL: databaseUrl,
		DATA_DIR: dataDir,
		HOST: '127.0.0.1',
		PORT: String(s.port),
		ORIGIN: origin,
		LABO_SECRET: CLUSTER_SECRET,
		// nodemailer keeps its connections open with pool=true (one SMTP handshake per batch, not per mail).
		SMTP_URL: `smtp://127.0.0.1:${smtp.port}?pool=true`,
		ADDRESS_HEADER: 'X-Forwarded-For',
		XFF_DEPTH: '1',
		LOG_LEVEL: 'error',
		...opts.env
	});
	const start = async (i: number) => {
		const s = servers[i]!;
		const log = fs.openSync(path.join(opts.dir, `server-${i}.log`), 'a');
		const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/production.ts'], { cwd: root, env: env(s), stdio: ['ignore', log, log] });
		fs.closeSync(log);
		s.proc = proc;
		children.add(proc);
		s.pids.push(proc.pid!);
		await waitFor(
			`server ${i} ready`,
			async () => {
				if (proc.exitCode !== null) throw new Error(`server ${i} exited (${proc.exitCode}): see ${opts.dir}/server-${i}.log`);
				return (await probe(s.port, '/readyz')) === 200;
			},
			60_000,
			100
		).catch((e: unknown) => {
			if (proc.exitCode !== null)
				throw new Error(`server ${i} exited (${proc.exitCode}): ${fs.readFileSync(path.join(opts.dir, `server-${i}.log`), 'utf8').slice(-2000)}`);
			throw e;
		});
	};
	const accessLog = path.join(prefix, 'access.log');
	let nginx: ChildProcess | null = null;
	const writeConf = (n: number) =>
		writeNginxConfig(
			prefix,
			site(
				nginxPort,
				servers.slice(0, n).map((s) => s.port)
			),
			{
				accessLog: `${accessLog} cluster`,
				httpExtra: "log_format cluster '$msec $status $request_method $request_uri $upstream_addr $upstream_status $http_x_cluster_req';"
			}
		);
	const args = writeConf(servers.length);
	try {
		await Promise.all([...servers.map((_, i) => start(i)), seeding]);
		phase('servers');
		nginx = startNginx(args, 'ignore');
		children.add(nginx);
		await waitFor('nginx', async () => (await probe(nginxPort, '/healthz')) === 200, 10_000);
	} catch (e) {
		stopSync();
		await smtp.close();
		throw e;
	}
	return {
		pg,
		databaseUrl,
		origin,
		nginxPort,
		smtp,
		servers,
		accessLog,
		start,
		kill: (i) => {
			servers[i]!.proc?.kill('SIGKILL');
		},
		upstreams: async (n) => {
			writeConf(n);
			nginx!.kill('SIGHUP');
			// A reload starts new workers; give the old ones their requests' time.
			await new Promise((r) => setTimeout(r, 300));
		},
		stop: async () => {
			for (const s of servers) if (s.proc && s.proc.exitCode === null) s.proc.kill('SIGKILL');
			if (nginx && nginx.exitCode === null) nginx.kill('SIGTERM');
			children.clear();
			await smtp.close();
			stopSync();
		}
	};
}

// ——— An HTTP client that can talk to nginx or to one server directly ———

export interface Sent {
	target: string;
	method: string;
	path: string;
	start: number;
	end: number;
	status: number;
	/** A network error (the server died with the request in flight, or refused it). */
	error?: string;
	id: string;
}

let reqSeq = 0;

/**
 * One request with node:http (so the Host header can be ORIGIN's when a server is reached
 * directly). Records itself in `log`.
 */
export function request(
	log: Sent[],
	o: { port: number; target: string; host: string; method?: string; path: string; headers?: Record<string, string>; body?: Buffer; agent?: http.Agent }
): Promise<Sent & { body: string; headers: http.IncomingHttpHeaders }> {
	const method = o.method ?? 'GET';
	const id = `r${++reqSeq}`;
	const start = Date.now();
	return new Promise((resolve) => {
		const req = http.request(
			{
				host: '127.0.0.1',
				port: o.port,
				method,
				path: o.path,
				agent: o.agent,
				headers: { Host: o.host, 'X-Cluster-Req': id, ...(o.body ? { 'Content-Length': String(o.body.length) } : {}), ...o.headers }
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const sent: Sent = { target: o.target, method, path: o.path, start, end: Date.now(), status: res.statusCode ?? 0, id };
					log.push(sent);
					resolve({ ...sent, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers });
				});
				res.on('error', (e) => {
					const sent: Sent = {
						target: o.target,
						method,
						path: o.path,
						start,
						end: Date.now(),
						status: 0,
						error: (e as NodeJS.ErrnoException).code ?? e.message,
						id
					};
					log.push(sent);
					resolve({ ...sent, body: '', headers: {} });
				});
			}
		);
		req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
		req.on('error', (e) => {
			const sent: Sent = {
				target: o.target,
				method,
				path: o.path,
				start,
				end: Date.now(),
				status: 0,
				error: (e as NodeJS.ErrnoException).code ?? e.message,
				id
			};
			log.push(sent);
			resolve({ ...sent, body: '', headers: {} });
		});
		if (o.body) req.end(o.body);
		else req.end();
	});
}

/** A form body as the browser sends it (multipart when it carries a file). */
export async function formBody(fields: Record<string, string | { name: string; type: string; bytes: Buffer }>): Promise<{ body: Buffer; contentType: string }> {
	const hasFile = Object.values(fields).some((v) => typeof v !== 'string');
	if (!hasFile)
		return { body: Buffer.from(new URLSearchParams(fields as Record<string, string>).toString()), contentType: 'application/x-www-form-urlencoded' };
	const fd = new FormData();
	for (const [k, v] of Object.entries(fields)) {
		if (typeof v === 'string') fd.append(k, v);
		else fd.append(k, new Blob([new Uint8Array(v.bytes)], { type: v.type }), v.name);
	}
	const r = new Response(fd);
	return { body: Buffer.from(await r.arrayBuffer()), contentType: r.headers.get('content-type')! };
}
