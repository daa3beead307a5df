import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { nowIso } from '../db/util';

export interface Limit {
	max: number;
	windowMs: number;
}

/**
 * Counts one hit on `key` in a fixed window stored in the database (so it holds across
 * restarts and processes). Returns whether this hit is within the limit.
 */
export async function hitRateLimit(
	db: Kysely<Database>,
	key: string,
	limit: Limit
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
	const now = nowIso();
	const reset = new Date(Date.now() + limit.windowMs).toISOString();
	const row = await db
		.insertInto('rate_limit')
		.values({ key, count: 1, reset_at: reset })
		.onConflict((oc) =>
			oc.column('key').doUpdateSet({
				count: sql`case when rate_limit.reset_at <= ${now} then 1 else rate_limit.count + 1 end`,
				reset_at: sql`case when rate_limit.reset_at <= ${now} then ${reset} else rate_limit.reset_at end`
			})
		)
		.returning(['count', 'reset_at'])
		.executeTakeFirstOrThrow();
	const retryAfterSeconds = Math.max(1, Math.ceil((Date.parse(row.reset_at) - Date.now()) / 1000));
	return { allowed: Number(row.count) <= limit.max, retryAfterSeconds };
}

/**
 * Whether one more hit on `key` would be within the limit, without counting it (for limits
 * that count only what was accepted: check first, hit once the thing is done).
 */
export async function peekRateLimit(db: Kysely<Database>, key: string, limit: Limit): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
	const row = await db.selectFrom('rate_limit').where('key', '=', key).select(['count', 'reset_at']).executeTakeFirst();
	if (!row || row.reset_at <= nowIso()) return { allowed: true, retryAfterSeconds: 0 };
	const retryAfterSeconds = Math.max(1, Math.ceil((Date.parse(row.reset_at) - Date.now()) / 1000));
	return { allowed: Number(row.count) < limit.max, retryAfterSeconds };
}

export async function clearRateLimit(db: Kysely<Database>, key: string): Promise<void> {
	await db.deleteFrom('rate_limit').where('key', '=', key).execute();
}

export const LIMITS = {
	/** Failed logins per e-mail and address. */
	login: { max: 5, windowMs: 15 * 60_000 },
	/** Any public form (password reset, invitation) per address. */
	publicForm: { max: 20, windowMs: 15 * 60_000 }
} satisfies Record<string, Limit>;
