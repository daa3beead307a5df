import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { nowIso } from '../db/util';

/**
 * Where the installation keeps its secret (see ../secret.ts for how it is chosen and loaded):
 * one `install_setting` row, written once and shared by every server of the database.
 */
const KEY = 'secret';

/** The stored secret as hex, or null when none is stored yet. */
export async function storedSecretHex(db: Kysely<Database>): Promise<string | null> {
	const row = await db.selectFrom('install_setting').where('key', '=', KEY).select('value').executeTakeFirst();
	return row?.value ?? null;
}

/** Stores `hex` unless a secret is already stored (the first server wins); returns the stored one. */
export async function storeSecretOnce(db: Kysely<Database>, hex: string): Promise<string | null> {
	await db
		.insertInto('install_setting')
		.values({ key: KEY, value: hex, updated_at: nowIso() })
		.onConflict((oc) => oc.column('key').doNothing())
		.execute();
	return storedSecretHex(db);
}
