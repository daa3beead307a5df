/**
 * `npm start`: builds the app if the build is missing or older than the sources, migrates,
 * loads the demo lab into an empty database, then serves the production build.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, env } from '../lib/server/env';
import { closeDb, configuredUrl, getDb, migrate } from '../lib/server/db';
import { isEmpty, seedDemo } from '../lib/server/demo/seed';
import { loadInstallationSecret } from '../lib/server/secret';
import { describeConnectionError } from './connection';
import { printDemoAccounts } from './commands';
import { serve } from './serve';
import { buildIfNeeded } from './build';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function prepareDatabase(): Promise<void> {
	const db = getDb();
	try {
		await migrate(db);
	} catch (e) {
		console.error(`Erreur / error: ${describeConnectionError(e, configuredUrl())}`);
		process.exit(1);
	}
	// The demo's commenters are keyed by the installation's secret: have it before seeding.
	await loadInstallationSecret(db, { generate: true });
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
	const port = Number(process.env.PORT ?? 3000);
	const host = process.env.HOST ?? '0.0.0.0';
	const shown = process.env.ORIGIN ?? `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
	// Links in the demo's mails point at the address it listens on (never at a request's Host).
	process.env.LABO_DEMO_ORIGIN ??= shown;
	await prepareDatabase();
	buildIfNeeded(root);
	try {
		await serve({ root, port, host });
	} catch (e) {
		console.error(`Erreur / error: impossible d'écouter sur / cannot listen on ${host}:${port} — ${e instanceof Error ? e.message : String(e)}`);
		process.exit(1);
	}
	console.log(`\nLabo est prêt / Labo is ready: ${shown}`);
	printDemoAccounts();
}

void main();
