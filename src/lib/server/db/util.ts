import { randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();
export const nowIso = (): string => new Date().toISOString();
export const isoIn = (ms: number): string => new Date(Date.now() + ms).toISOString();

/** `count(*)` is a string on Postgres and a number on SQLite. */
export const toCount = (v: unknown): number => Number(v ?? 0);

/** Escapes LIKE wildcards so user input matches literally. */
export const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => '\\' + c);

import type { Kysely, Transaction } from 'kysely';

/** Runs `fn` in a transaction, or inside the caller's one when `db` already is a transaction. */
export function inTransaction<DB, T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
	if (db.isTransaction) return fn(db);
	return db.transaction().execute((trx: Transaction<DB>) => fn(trx));
}
