import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { dialectOf } from '../db';

/**
 * Runs `fn` holding SQLite's write lock from the start (`BEGIN IMMEDIATE`): a read followed by
 * a conditional write cannot interleave with another connection's (another process on the same
 * file). Kysely's own transactions begin DEFERRED, which would let two readers both see a row as
 * free. On PostgreSQL the claims use `FOR UPDATE SKIP LOCKED` instead and never come here.
 */
export async function sqliteImmediate<T>(db: Kysely<Database>, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
	if (db.isTransaction) return fn(db);
	return db.connection().execute(async (conn) => {
		await sql`begin immediate`.execute(conn);
		try {
			const out = await fn(conn);
			await sql`commit`.execute(conn);
			return out;
		} catch (e) {
			await sql`rollback`.execute(conn).catch(() => undefined);
			throw e;
		}
	});
}

export const isPostgres = (db: Kysely<Database>): boolean => dialectOf(db) === 'postgres';
