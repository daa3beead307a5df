/**
 * The installation's secret: the key of every HMAC that must agree across servers and restarts
 * (commenters' e-mail hashes, address keys, erasure links).
 *
 * Where it comes from, in order: the `LABO_SECRET` environment value (it overrides); the value
 * stored in the database (`install_setting`), generated once and shared by every server of that
 * database; a legacy `DATA_DIR/journal.secret` file, moved into the database on first start.
 * The demo generates one when none exists; production (`npm run serve`) refuses to start
 * without one (see docs/decisions/011-production-mode.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import { dataDir } from './env';
import { storedSecretHex, storeSecretOnce } from './installation';

let loaded: Buffer | null = null;

const fromEnvValue = (v: string): Buffer => createHash('sha256').update(`labo-journal\0${v}`).digest();

function envSecret(): Buffer | null {
	const v = process.env.LABO_SECRET;
	return v && v.length >= 16 ? fromEnvValue(v) : null;
}

async function storedSecret(db: Kysely<Database>): Promise<Buffer | null> {
	const hex = await storedSecretHex(db);
	return hex === null ? null : Buffer.from(hex, 'hex');
}

/** Stores `hex` unless a secret is already stored (the first server wins); returns the stored one. */
async function storeOnce(db: Kysely<Database>, hex: string): Promise<Buffer> {
	const stored = await storeSecretOnce(db, hex);
	if (stored === null) throw new Error('the installation secret could not be stored');
	return Buffer.from(stored, 'hex');
}

function legacyFile(): string {
	return path.join(dataDir(), 'journal.secret');
}

export type SecretSource = 'environment' | 'database' | 'generated';

/**
 * Loads the secret once per process. With `generate: false` (production) and no secret in the
 * environment or the database, returns null so the caller can refuse to start.
 */
export async function loadInstallationSecret(db: Kysely<Database>, opts: { generate: boolean }): Promise<{ source: SecretSource } | null> {
	const env = envSecret();
	if (env) {
		loaded = env;
		return { source: 'environment' };
	}
	const stored = await storedSecret(db);
	if (stored) {
		loaded = stored;
		return { source: 'database' };
	}
	// An installation from before the secret lived in the database keeps its commenters' keys.
	let legacy: string | null = null;
	try {
		legacy = fs.readFileSync(legacyFile(), 'utf8').trim();
	} catch {
		legacy = null;
	}
	if (legacy && /^[0-9a-f]{32,}$/i.test(legacy)) {
		loaded = await storeOnce(db, legacy);
		return { source: 'database' };
	}
	if (!opts.generate) return null;
	loaded = await storeOnce(db, randomBytes(32).toString('hex'));
	return { source: 'generated' };
}

/** Generates and stores a secret for a new installation; refuses when one is already stored. */
export async function generateInstallationSecret(db: Kysely<Database>): Promise<'created' | 'exists'> {
	if (await storedSecret(db)) return 'exists';
	await storeOnce(db, randomBytes(32).toString('hex'));
	return 'created';
}

/**
 * The secret loaded at start. A process that never loaded one (a unit test, a one-off script)
 * falls back to the environment, then to a random secret for this process only.
 */
export function installationSecret(): Buffer {
	if (loaded) return loaded;
	loaded = envSecret() ?? randomBytes(32);
	return loaded;
}

/** For tests that change LABO_SECRET or the database. */
export function resetInstallationSecretForTests(): void {
	loaded = null;
}
