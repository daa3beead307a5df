/**
 * Labo as deployed: nginx terminating TLS (a throwaway self-signed certificate made here with
 * openssl) in front of the app in production mode on loopback. nginx runs in the foreground with
 * its own prefix and configuration under .tmp/e2e-proxy, built from the shipped site
 * (deploy/nginx/labo.conf) with only addresses, ports and paths replaced. Nothing of the system's
 * nginx configuration is read or touched. The lab and its accounts are created with the CLI, as
 * the README tells an operator to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { startMailCapture } from '../e2e/mail-capture';
import { buildIfNeeded } from '../../src/cli/build';
import { startNginx, writeNginxConfig } from './nginx';
import { ADMIN, APP_PORT, DATA_DIR, HTTP_PORT, LAB, LOCKED, MAIL_DIR, NGINX_BIND, ORIGIN, PASSWORD, PROXY_DIR, PROXY_PORT, SMTP_PORT } from './env';

const root = path.resolve('.');

fs.rmSync(PROXY_DIR, { recursive: true, force: true });
const tls = path.join(PROXY_DIR, 'tls');
const prefix = path.join(PROXY_DIR, 'nginx');
for (const d of [MAIL_DIR, DATA_DIR, tls, path.join(prefix, 'tmp'), path.join(prefix, 'acme')]) fs.mkdirSync(d, { recursive: true });

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
	const r = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8' });
	if (r.status !== 0) {
		console.error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
		process.exit(1);
	}
}

// A throwaway certificate for 127.0.0.1, valid two days.
run('openssl', [
	'req',
	'-x509',
	'-newkey',
	'ec',
	'-pkeyopt',
	'ec_paramgen_curve:prime256v1',
	'-nodes',
	'-days',
	'2',
	'-subj',
	'/CN=127.0.0.1',
	'-addext',
	'subjectAltName=IP:127.0.0.1',
	'-keyout',
	path.join(tls, 'key.pem'),
	'-out',
	path.join(tls, 'cert.pem')
]);

buildIfNeeded(root);

const appEnv: NodeJS.ProcessEnv = {
	...process.env,
	NODE_ENV: 'production',
	DATA_DIR,
	DATABASE_URL: '',
	HOST: '127.0.0.1',
	PORT: String(APP_PORT),
	ORIGIN,
	LABO_SECRET: 'proxy-e2e-secret-0123456789',
	SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
	ADDRESS_HEADER: 'X-Forwarded-For',
	XFF_DEPTH: '1',
	LOG_LEVEL: 'warn'
};
const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
const labo = (...args: string[]) => run(process.execPath, [tsx, 'src/cli/index.ts', ...args], appEnv);
labo('create-lab', '--slug', LAB, '--name', 'Labo Proxy', '--region', 'Provence-Alpes-Côte d’Azur');
labo('create-user', '--email', ADMIN, '--name', 'Camille Proxy', '--password', PASSWORD, '--lab', LAB, '--role', 'coordinator', '--admin');
labo('create-user', '--email', LOCKED, '--name', 'Dominique Bloquée', '--password', PASSWORD, '--lab', LAB, '--role', 'resident');

// The production entry point (`npm run serve`); `npm start`'s until it exists (the database is
// not empty, so no demo is loaded either way).
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const serveEntry = /^tsx\s+(\S+\.ts)$/.exec(pkg.scripts.serve ?? '')?.[1] ?? 'src/cli/start.ts';

/** The shipped site with this machine's ports and paths; each replacement must apply. */
function siteConfig(): string {
	let site = fs.readFileSync(path.join(root, 'deploy/nginx/labo.conf'), 'utf8');
	const swap = (from: string | RegExp, to: string) => {
		const next = site.replace(from, to);
		if (next === site) throw new Error(`deploy/nginx/labo.conf: "${String(from)}" not found`);
		site = next;
	};
	swap('server 127.0.0.1:3000;', `server 127.0.0.1:${APP_PORT};`);
	swap(/^\s*listen \[::\]:80;\n/m, '');
	swap(/^\s*listen \[::\]:443 ssl http2;\n/m, '');
	swap('listen 80;', `listen 127.0.0.1:${HTTP_PORT};`);
	swap('listen 443 ssl http2;', `listen 127.0.0.1:${PROXY_PORT} ssl http2;`);
	swap(/server_name labo\.example\.fr;/g, 'server_name 127.0.0.1;');
	swap('https://labo.example.fr$request_uri', `${ORIGIN}$request_uri`);
	swap('/etc/letsencrypt/live/labo.example.fr/fullchain.pem', path.join(tls, 'cert.pem'));
	swap('/etc/letsencrypt/live/labo.example.fr/privkey.pem', path.join(tls, 'key.pem'));
	swap('root /var/www/letsencrypt;', `root ${path.join(prefix, 'acme')};`);
	// ORIGIN carries a port here, as the site's comment says.
	swap('proxy_set_header Host $host;', 'proxy_set_header Host $http_host;');
	swap('proxy_http_version 1.1;', `proxy_http_version 1.1;\n\tproxy_bind ${NGINX_BIND};`);
	return site;
}

const nginxArgs = writeNginxConfig(prefix, siteConfig());

const smtp = startMailCapture(MAIL_DIR, SMTP_PORT);
const children: ChildProcess[] = [];
const app = spawn(process.execPath, [tsx, serveEntry], { stdio: 'inherit', env: appEnv });
const nginx = startNginx(nginxArgs);
children.push(app, nginx);

let stopping = false;
const stop = (code: number) => {
	if (stopping) return;
	stopping = true;
	for (const c of children) if (c.exitCode === null) c.kill('SIGTERM'); // nginx: fast shutdown
	smtp.close(() => process.exit(code));
	setTimeout(() => process.exit(code), 5000).unref();
};
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
for (const [name, c] of [
	['app', app],
	['nginx', nginx]
] as const)
	c.on('exit', (code) => {
		if (!stopping) console.error(`${name} stopped (${code})`);
		stop(code ?? 1);
	});
