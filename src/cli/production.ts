/**
 * `npm run serve` (and `npm run labo -- serve`): production. Never loads the demo. Refuses to
 * start, with one line and exit code 1, without ORIGIN (the public https address) or without
 * the installation's secret (LABO_SECRET, or one already stored in the database:
 * `npm run labo -- secret generate`). Serves the existing build: `npm run build` first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, env } from '../lib/server/env';
import { closeDb, configuredUrl, getDb, migrate } from '../lib/server/db';
import { loadInstallationSecret } from '../lib/server/secret';
import { oidcSettings } from '../lib/server/auth/oidc';
import { describeConnectionError } from './connection';
import { serve } from './serve';
import { backgroundTimings } from '../lib/server/jobs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export class StartError extends Error {}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Checks the environment for production; returns ORIGIN's URL. Throws StartError with one line. */
export function checkProductionEnv(): URL {
	let e;
	try {
		e = env();
		backgroundTimings();
	} catch (err) {
		if (err instanceof ConfigError) throw new StartError(err.message);
		throw err;
	}
	if (!e.ORIGIN)
		throw new StartError(
			"ORIGIN manquant : l'adresse publique de Labo, par ex. ORIGIN=https://labo.region.fr / ORIGIN missing: Labo's public address, e.g. ORIGIN=https://labo.region.fr"
		);
	const origin = new URL(e.ORIGIN);
	if (origin.protocol !== 'https:' && !LOOPBACK.has(origin.hostname))
		throw new StartError(`ORIGIN doit commencer par https:// / ORIGIN must start with https:// (${e.ORIGIN})`);
	if (origin.pathname !== '/' || origin.search || origin.hash)
		throw new StartError(`ORIGIN est une origine, sans chemin / ORIGIN is an origin, without a path (${e.ORIGIN})`);
	// Single sign-on, when configured, must be complete and over https (docs/decisions/016).
	try {
		oidcSettings();
	} catch (err) {
		if (err instanceof ConfigError) throw new StartError(err.message);
		throw err;
	}
	return origin;
}

/** Migrates and checks the secret; never seeds. Returns how many labs the database has. */
export async function prepareProductionDatabase(): Promise<void> {
	const db = getDb();
	try {
		await migrate(db);
	} catch (err) {
		await closeDb();
		throw new StartError(describeConnectionError(err, configuredUrl()));
	}
	const secret = await loadInstallationSecret(db, { generate: false });
	await closeDb();
	if (!secret)
		throw new StartError(
			'LABO_SECRET manquant et aucun secret dans la base : définissez LABO_SECRET (16 caractères au moins) ou lancez « npm run labo -- secret generate » une fois / LABO_SECRET missing and no secret stored in the database: set LABO_SECRET (16 characters at least) or run "npm run labo -- secret generate" once'
		);
}

export async function runProduction(): Promise<void> {
	process.env.LABO_MODE = 'production';
	process.env.NODE_ENV = 'production';
	const origin = checkProductionEnv();
	await prepareProductionDatabase();
	if (!fs.existsSync(path.join(root, 'build', 'handler.js')))
		throw new StartError('application non construite : lancez « npm run build » / the app is not built: run "npm run build"');
	const port = Number(process.env.PORT ?? 3000);
	const host = process.env.HOST ?? '0.0.0.0';
	try {
		await serve({ root, port, host, allowedHost: origin.host });
	} catch (err) {
		throw new StartError(`impossible d'écouter sur / cannot listen on ${host}:${port} — ${err instanceof Error ? err.message : String(err)}`);
	}
	console.log(JSON.stringify({ t: new Date().toISOString(), level: 'info', msg: 'server.ready', origin: origin.origin, host, port }));
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
	runProduction().catch((err: unknown) => {
		console.error(`Erreur / error: ${err instanceof Error ? err.message : String(err)}`);
		process.exit(1);
	});
}
