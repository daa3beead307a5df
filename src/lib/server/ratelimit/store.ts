import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { nowIso } from '../db/util';

/**
 * `rate_limit` as a keyed store for other domains' short-lived marks (auth's known devices):
 * a key lives until its `reset_at`, then the purge forgets it like every row of the table.
 */

/** Whether `key` is stored and not yet expired. */
export async function hasKey(db: Kysely<Database>, key: string): Promise<boolean> {
	const row = await db.selectFrom('rate_limit').where('key', '=', key).where('reset_at', '>', nowIso()).select('key').executeTakeFirst();
	return Boolean(row);
}

/** Stores `key` until `expiresAt` (ISO), or moves its expiry there when it exists. */
export async function putKey(db: Kysely<Database>, key: string, expiresAt: string): Promise<void> {
	await db
		.insertInto('rate_limit')
		.values({ key, count: 1, reset_at: expiresAt })
		.onConflict((oc) => oc.column('key').doUpdateSet({ reset_at: expiresAt }))
		.execute();
}

/** Deletes every key starting with `prefix`. */
export async function deleteKeysWithPrefix(db: Kysely<Database>, prefix: string): Promise<void> {
	await db
		.deleteFrom('rate_limit')
		.where(sql<string>`substr(key, 1, ${prefix.length})`, '=', prefix)
		.execute();
}
