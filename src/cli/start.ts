/**
 * `npm start`: builds the app if the build is missing or older than the sources, migrates,
 * loads the demo lab into an empty database, then serves the production build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigError, env } from '../lib/server/env';
import { closeDb, configuredUrl, getDb, migrate } from '../lib/server/db';
import { isEmpty, seedDemo } from '../lib/server/demo/seed';
import { describeConnectionError } from './connection';
import { printDemoAccounts } from './commands';
import { serve } from './serve';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const buildEntry = path.join(root, 'build', 'handler.js');
const stampFile = path.join(root, 'build', '.source-stamp');

function newestMtime(entries: string[]): number {
	let newest = 0;
	const walk = (p: string) => {
		if (!fs.existsSync(p)) return;
		const st = fs.statSync(p);
		if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
		else newest = Math.max(newest, st.mtimeMs);
	};
	for (const e of entries) walk(path.join(root, e));
	return Math.floor(newest);
}

function buildIfNeeded(): void {
	const sources = newestMtime(['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json']);
	const stamp = fs.existsSync(stampFile) ? Number(fs.readFileSync(stampFile, 'utf8')) : -1;
	if (fs.existsSync(buildEntry) && stamp === sources) return;
	console.log('Construction de l’application / building the app (vite build)…');
	const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
		cwd: root,
		stdio: 'inherit'
	});
	if (r.status !== 0) {
		console.error('Erreur / error: la construction a échoué / the build failed');
		process.exit(1);
	}
	fs.writeFileSync(stampFile, String(sources));
}

async function prepareDatabase(): Promise<void> {
	const db = getDb();
	try {
		await migrate(db);
	} catch (e) {
		console.error(`Erreur / error: ${describeConnectionError(e, configuredUrl())}`);
		process.exit(1);
	}
	if (await isEmpty(db)) {
		await seedDemo(db);
		console.log('Base vide : labo de démonstration chargé / empty database: demo lab loaded');
	}
	await closeDb();
}

async function main() {
	try {
		env();
	} catch (e) {
		if (e instanceof ConfigError) {
			console.error(`Erreur / error: ${e.message}`);
			process.exit(1);
		}
		throw e;
	}
	await prepareDatabase();
	buildIfNeeded();
	const port = Number(process.env.PORT ?? 3000);
	const host = process.env.HOST ?? '0.0.0.0';
	try {
		await serve({ root, port, host });
	} catch (e) {
		console.error(`Erreur / error: impossible d'écouter sur / cannot listen on ${host}:${port} — ${e instanceof Error ? e.message : String(e)}`);
		process.exit(1);
	}
	const shown = process.env.ORIGIN ?? `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
	console.log(`\nLabo est prêt / Labo is ready: ${shown}`);
	printDemoAccounts();
}

void main();
