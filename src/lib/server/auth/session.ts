import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { isoIn, nowIso } from '../db/util';
import { hashToken, newToken } from './tokens';
import type { Locale } from '$lib/shared/roles';

const DAY = 24 * 60 * 60 * 1000;
/** A session ends after a week without use (sliding)… */
export const SESSION_IDLE_MS = 7 * DAY;
/** …and 30 days after it was opened, however much it is used (absolute). */
export const SESSION_MAX_MS = 30 * DAY;

export interface SessionUser {
	accountId: string;
	personId: string;
	name: string;
	email: string;
	organisation: string | null;
	locale: Locale;
	isAdmin: boolean;
}

/** Opens a session; returns the cookie token (only its hash is stored). */
export async function createSession(db: Kysely<Database>, accountId: string): Promise<{ token: string; expiresAt: Date }> {
	const token = newToken();
	const expiresAt = isoIn(SESSION_IDLE_MS);
	await db
		.insertInto('session')
		.values({ id: hashToken(token), account_id: accountId, expires_at: expiresAt, created_at: nowIso() })
		.execute();
	return { token, expiresAt: new Date(expiresAt) };
}

/**
 * Finds the user behind a cookie token. A session ends after SESSION_IDLE_MS without use and
 * SESSION_MAX_MS after it was opened. Use pushes the idle end back (at most one write a day);
 * `renewedUntil` tells the caller to refresh the cookie.
 */
export async function validateSession(db: Kysely<Database>, token: string): Promise<{ user: SessionUser; renewedUntil: Date | null } | null> {
	const id = hashToken(token);
	const row = await db
		.selectFrom('session as s')
		.innerJoin('account as a', 'a.id', 's.account_id')
		.innerJoin('person as p', 'p.id', 'a.person_id')
		.where('s.id', '=', id)
		// Disabling an account deletes its sessions; this also refuses one opened in between.
		.where('a.disabled_at', 'is', null)
		.select(['s.expires_at', 's.created_at', 'a.id as account_id', 'a.person_id', 'a.email', 'a.locale', 'a.is_admin', 'p.name', 'p.organisation'])
		.executeTakeFirst();
	if (!row) return null;
	const now = Date.now();
	const expires = Date.parse(row.expires_at);
	const absoluteEnd = Date.parse(row.created_at) + SESSION_MAX_MS;
	if (expires <= now || absoluteEnd <= now) {
		await db.deleteFrom('session').where('id', '=', id).execute();
		return null;
	}
	let renewedUntil: Date | null = null;
	const next = Math.min(now + SESSION_IDLE_MS, absoluteEnd);
	if (expires - now < SESSION_IDLE_MS - DAY && next > expires) {
		const nextIso = new Date(next).toISOString();
		await db.updateTable('session').set({ expires_at: nextIso }).where('id', '=', id).execute();
		renewedUntil = new Date(nextIso);
	}
	return {
		user: {
			accountId: row.account_id,
			personId: row.person_id,
			name: row.name,
			email: row.email,
			organisation: row.organisation,
			locale: row.locale === 'en' ? 'en' : 'fr',
			isAdmin: row.is_admin === 1
		},
		renewedUntil
	};
}

export async function invalidateSession(db: Kysely<Database>, token: string): Promise<void> {
	await db.deleteFrom('session').where('id', '=', hashToken(token)).execute();
}

/** Ends every session of the account but the one whose cookie token is `keepToken`. */
export async function invalidateOtherSessions(db: Kysely<Database>, accountId: string, keepToken: string): Promise<void> {
	await db.deleteFrom('session').where('account_id', '=', accountId).where('id', '<>', hashToken(keepToken)).execute();
}

export async function invalidateAllSessions(db: Kysely<Database>, accountId: string): Promise<void> {
	await db.deleteFrom('session').where('account_id', '=', accountId).execute();
}
