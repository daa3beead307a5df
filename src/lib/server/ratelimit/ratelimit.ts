import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { nowIso } from '../db/util';

export interface Limit {
	max: number;
	windowMs: number;
}

/**
 * Every row of `rate_limit` stops mattering at its `reset_at` (a window's end, a cool-down's
 * memory, a known device's expiry), so rows past it can be deleted at any time.
 */
export async function purgeRateLimits(db: Kysely<Database>): Promise<number> {
	const res = await db.deleteFrom('rate_limit').where('reset_at', '<=', nowIso()).executeTakeFirst();
	return Number(res.numDeletedRows);
}

/** When this process last purged (at most once a minute, from hitRateLimit). */
export const purgeSchedule = { lastAt: 0, everyMs: 60_000 };

async function maybePurge(db: Kysely<Database>): Promise<void> {
	if (Date.now() - purgeSchedule.lastAt < purgeSchedule.everyMs) return;
	purgeSchedule.lastAt = Date.now();
	await purgeRateLimits(db);
}

/**
 * Counts one hit on `key` in a fixed window stored in the database (so it holds across
 * restarts and processes). Returns whether this hit is within the limit.
 */
export async function hitRateLimit(db: Kysely<Database>, key: string, limit: Limit): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
	await maybePurge(db);
	const row = await countHit(db, key, limit.windowMs, 'fixed');
	const retryAfterSeconds = Math.max(1, Math.ceil((Date.parse(row.reset_at) - Date.now()) / 1000));
	return { allowed: Number(row.count) <= limit.max, retryAfterSeconds };
}

/**
 * Adds one to `key`'s count in one statement (restarting it once its window is over). A `fixed`
 * window ends `windowMs` after its first hit; a `sliding` one `windowMs` after its latest.
 */
async function countHit(db: Kysely<Database>, key: string, windowMs: number, window: 'fixed' | 'sliding') {
	const now = nowIso();
	const reset = new Date(Date.now() + windowMs).toISOString();
	return db
		.insertInto('rate_limit')
		.values({ key, count: 1, reset_at: reset })
		.onConflict((oc) =>
			oc.column('key').doUpdateSet({
				count: sql`case when rate_limit.reset_at <= ${now} then 1 else rate_limit.count + 1 end`,
				reset_at: window === 'sliding' ? reset : sql`case when rate_limit.reset_at <= ${now} then ${reset} else rate_limit.reset_at end`
			})
		)
		.returning(['count', 'reset_at'])
		.executeTakeFirstOrThrow();
}

/** Whether `key` has already used up its window, without counting a hit. */
export async function peekRateLimit(db: Kysely<Database>, key: string, limit: Limit): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
	const row = await db.selectFrom('rate_limit').where('key', '=', key).select(['count', 'reset_at']).executeTakeFirst();
	const left = row ? Date.parse(row.reset_at) - Date.now() : 0;
	if (!row || left <= 0 || Number(row.count) < limit.max) return { allowed: true, retryAfterSeconds: 0 };
	return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(left / 1000)) };
}

export async function clearRateLimit(db: Kysely<Database>, key: string): Promise<void> {
	await db.deleteFrom('rate_limit').where('key', '=', key).execute();
}

/**
 * A cool-down with growing delays: the first `free` failures cost nothing, then each one closes
 * the key for `baseMs`, doubled at every further failure up to `maxMs`. Failures are forgotten
 * `forgetMs` after the last one. Stored in one rate_limit row: count = failures, reset_at = last
 * failure + forgetMs.
 */
export interface Cooldown {
	free: number;
	baseMs: number;
	maxMs: number;
	forgetMs: number;
}

function lockedUntil(count: number, resetAt: string, c: Cooldown): number {
	if (count < c.free) return 0;
	const lastFailure = Date.parse(resetAt) - c.forgetMs;
	return lastFailure + Math.min(c.baseMs * 2 ** (count - c.free), c.maxMs);
}

/** Whether `key` is cooling down now (nothing is counted). */
export async function checkCooldown(db: Kysely<Database>, key: string, c: Cooldown): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
	const row = await db.selectFrom('rate_limit').where('key', '=', key).select(['count', 'reset_at']).executeTakeFirst();
	if (!row || Date.parse(row.reset_at) <= Date.now()) return { allowed: true, retryAfterSeconds: 0 };
	const left = lockedUntil(Number(row.count), row.reset_at, c) - Date.now();
	return left > 0 ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(left / 1000)) } : { allowed: true, retryAfterSeconds: 0 };
}

/**
 * Counts one failure on `key` ahead of the attempt, unless the key is cooling down. The count
 * is claimed by a compare-and-set on the row, so of attempts made at the same moment only one
 * per count gets through (the others are refused as if cooling down): a burst of parallel
 * guesses gets no more tries than a sequence. A success then clears the key.
 */
export async function claimCooldown(db: Kysely<Database>, key: string, c: Cooldown): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
	const row = await db.selectFrom('rate_limit').where('key', '=', key).select(['count', 'reset_at']).executeTakeFirst();
	const now = Date.now();
	const live = row !== undefined && Date.parse(row.reset_at) > now;
	if (live) {
		const left = lockedUntil(Number(row.count), row.reset_at, c) - now;
		if (left > 0) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(left / 1000)) };
	}
	const reset = new Date(now + c.forgetMs).toISOString();
	let claimed: boolean;
	if (!row) {
		const res = await db
			.insertInto('rate_limit')
			.values({ key, count: 1, reset_at: reset })
			.onConflict((oc) => oc.column('key').doNothing())
			.executeTakeFirst();
		claimed = Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
	} else {
		const res = await db
			.updateTable('rate_limit')
			.set({ count: live ? Number(row.count) + 1 : 1, reset_at: reset })
			.where('key', '=', key)
			.where('count', '=', row.count)
			.where('reset_at', '=', row.reset_at)
			.executeTakeFirst();
		claimed = Number(res.numUpdatedRows) === 1;
	}
	return claimed ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: 1 };
}

/** Gives back a count claimed by claimCooldown for an attempt that could not be made. */
export async function unclaimCooldown(db: Kysely<Database>, key: string): Promise<void> {
	await db.deleteFrom('rate_limit').where('key', '=', key).where('count', '<=', 1).execute();
	await db
		.updateTable('rate_limit')
		.set({ count: sql`count - 1` })
		.where('key', '=', key)
		.where('count', '>', 1)
		.execute();
}

/** Counts one failure on `key`; returns how long the key is now closed (0 when it is not). */
export async function hitCooldown(db: Kysely<Database>, key: string, c: Cooldown): Promise<{ retryAfterSeconds: number }> {
	const row = await countHit(db, key, c.forgetMs, 'sliding');
	const left = lockedUntil(Number(row.count), row.reset_at, c) - Date.now();
	return { retryAfterSeconds: left > 0 ? Math.ceil(left / 1000) : 0 };
}

export const LIMITS = {
	/** Failed logins from one client address (IPv6: one /64), whatever the e-mail. */
	loginAddress: { max: 30, windowMs: 15 * 60_000 },
	/** Failed logins from one known-device cookie, whatever the address. */
	loginDevice: { max: 10, windowMs: 15 * 60_000 },
	/** Wrong current passwords given when changing one's password, per account. */
	passwordChange: { max: 5, windowMs: 15 * 60_000 },
	/** Any public form (password reset, invitation) per address. */
	publicForm: { max: 20, windowMs: 15 * 60_000 }
} satisfies Record<string, Limit>;

export const COOLDOWNS = {
	/** Failed logins on one e-mail, from anywhere: 5 free, then 1, 2, 4 … 30 minutes. */
	loginAccount: { free: 5, baseMs: 60_000, maxMs: 30 * 60_000, forgetMs: 24 * 60 * 60_000 }
} satisfies Record<string, Cooldown>;
