import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { isoIn } from '../db/util';
import { deleteKeysWithPrefix, hasKey, putKey } from '../ratelimit';
import { hashToken, newToken } from './tokens';

/**
 * Known devices: a browser that logged in to an account (or completed a reset of its password)
 * holds an opaque random token in a cookie; with the right password it passes the account's
 * login cool-down (see docs/decisions/009-login-throttling.md). One token per browser; one
 * record per account it proved itself for, kept hashed in `rate_limit` under
 * `device:<account id>:<sha-256 of the token>`, forgotten at `reset_at` like every row there.
 */
export const DEVICE_TTL_MS = 180 * 24 * 60 * 60_000;

const deviceKey = (accountId: string, token: string) => `device:${accountId}:${hashToken(token)}`;

/** A well-formed token from the cookie, or null (anything else is ignored). */
export const deviceToken = (cookie: string | undefined): string | null => (cookie && /^[\w-]{43}$/.test(cookie) ? cookie : null);

export async function isKnownDevice(db: Kysely<Database>, accountId: string, token: string | null): Promise<boolean> {
	if (!token) return false;
	return hasKey(db, deviceKey(accountId, token));
}

/**
 * Records (or renews) the browser holding `token` as known for the account; returns the token
 * to set in the cookie (a new one when the browser had none).
 */
export async function rememberDevice(db: Kysely<Database>, accountId: string, token: string | null): Promise<{ token: string; expiresAt: Date }> {
	const t = token ?? newToken();
	const expires = isoIn(DEVICE_TTL_MS);
	await putKey(db, deviceKey(accountId, t), expires);
	return { token: t, expiresAt: new Date(expires) };
}

/** Forgets every known device of an account. */
export async function forgetDevices(db: Kysely<Database>, accountId: string): Promise<void> {
	await deleteKeysWithPrefix(db, `device:${accountId}:`);
}
