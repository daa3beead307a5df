import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { isoIn, nowIso } from '../db/util';
import { hashToken, newToken } from './tokens';
import type { Locale } from '$lib/shared/roles';

export const SESSION_COOKIE = 'labo_session';
const DAY = 24 * 60 * 60 * 1000;
export const SESSION_TTL_MS = 30 * DAY;

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
	const expiresAt = isoIn(SESSION_TTL_MS);
	await db
		.insertInto('session')
		.values({ id: hashToken(token), account_id: accountId, expires_at: expiresAt, created_at: nowIso() })
		.execute();
	return { token, expiresAt: new Date(expiresAt) };
}

/**
 * Finds the user behind a cookie token. A session used in the second half of its life is
 * extended (sliding expiry); `renewed` tells the caller to refresh the cookie.
 */
export async function validateSession(
	db: Kysely<Database>,
	token: string
): Promise<{ user: SessionUser; renewedUntil: Date | null } | null> {
	const id = hashToken(token);
	const row = await db
		.selectFrom('session as s')
		.innerJoin('account as a', 'a.id', 's.account_id')
		.innerJoin('person as p', 'p.id', 'a.person_id')
		.where('s.id', '=', id)
		// Disabling an account deletes its sessions; this also refuses one opened in between.
		.where('a.disabled_at', 'is', null)
		.select([
			's.expires_at',
			'a.id as account_id',
			'a.person_id',
			'a.email',
			'a.locale',
			'a.is_admin',
			'p.name',
			'p.organisation'
		])
		.executeTakeFirst();
	if (!row) return null;
	const expires = Date.parse(row.expires_at);
	if (expires <= Date.now()) {
		await db.deleteFrom('session').where('id', '=', id).execute();
		return null;
	}
	let renewedUntil: Date | null = null;
	if (expires - Date.now() < SESSION_TTL_MS / 2) {
		const next = isoIn(SESSION_TTL_MS);
		await db.updateTable('session').set({ expires_at: next }).where('id', '=', id).execute();
		renewedUntil = new Date(next);
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

export async function invalidateAllSessions(db: Kysely<Database>, accountId: string): Promise<void> {
	await db.deleteFrom('session').where('account_id', '=', accountId).execute();
}
