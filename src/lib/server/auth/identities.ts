/**
 * Accounts' identities at the OpenID Provider (account_identity) and the sessions opened through
 * it (sso_session, for RP-initiated logout). Who may sign in, and which labs they join, is decided
 * by the command that calls these (commands/sign-in-with-provider.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { newId, nowIso, inTransaction } from '../db/util';
import { DomainError } from '../errors';
import { recordAudit } from '../audit';
import { hashToken } from './tokens';
import { createSession } from './session';
import { insertAccount } from './auth.service';
import type { ProviderIdentity } from './oidc';

/** Stored instead of a password hash for an account created through the provider: matches no password. */
export const NO_PASSWORD = '!sso';

export interface KnownAccount {
	accountId: string;
	disabled: boolean;
}

export async function accountByIdentity(db: Kysely<Database>, issuer: string, subject: string): Promise<KnownAccount | null> {
	const row = await db
		.selectFrom('account_identity as i')
		.innerJoin('account as a', 'a.id', 'i.account_id')
		.where('i.issuer', '=', issuer)
		.where('i.subject', '=', subject)
		.select(['a.id', 'a.disabled_at'])
		.executeTakeFirst();
	return row ? { accountId: row.id, disabled: Boolean(row.disabled_at) } : null;
}

export async function accountByEmail(db: Kysely<Database>, email: string): Promise<KnownAccount | null> {
	const row = await db.selectFrom('account').where('email', '=', email.toLowerCase()).select(['id', 'disabled_at']).executeTakeFirst();
	return row ? { accountId: row.id, disabled: Boolean(row.disabled_at) } : null;
}

/**
 * Links the provider's identity to the account (or refreshes its claims when already linked).
 * An identity linked to another account is refused: unlink it there first.
 */
export async function linkIdentity(trx: Kysely<Database>, accountId: string, id: ProviderIdentity): Promise<void> {
	const now = nowIso();
	const existing = await trx
		.selectFrom('account_identity')
		.where('issuer', '=', id.issuer)
		.where('subject', '=', id.subject)
		.select(['id', 'account_id'])
		.executeTakeFirst();
	if (existing && existing.account_id !== accountId) throw new DomainError('sso.identityTaken', 409);
	if (existing) {
		await trx.updateTable('account_identity').set({ email: id.email, siret: id.siret, uid: id.uid, last_used_at: now }).where('id', '=', existing.id).execute();
		return;
	}
	const identityId = newId();
	await trx
		.insertInto('account_identity')
		.values({
			id: identityId,
			account_id: accountId,
			issuer: id.issuer,
			subject: id.subject,
			email: id.email,
			siret: id.siret,
			uid: id.uid,
			created_at: now,
			last_used_at: now
		})
		.execute();
	await recordAudit(trx, {
		labId: null,
		actorId: accountId,
		action: 'account.linkIdentity',
		subjectType: 'account',
		subjectId: accountId,
		summary: { issuer: id.issuer }
	});
}

/** Creates person + account for someone the provider vouches for (no password: NO_PASSWORD). */
export async function createAccountFromProvider(trx: Kysely<Database>, id: ProviderIdentity & { email: string }): Promise<string> {
	const name = id.name ?? id.email.split('@')[0]!;
	const { accountId } = await insertAccount(trx, { name, email: id.email, passwordHash: NO_PASSWORD });
	return accountId;
}

export interface LinkedIdentity {
	id: string;
	issuer: string;
	email: string | null;
	createdAt: string;
	lastUsedAt: string;
}

export async function identitiesOf(db: Kysely<Database>, accountId: string): Promise<LinkedIdentity[]> {
	const rows = await db
		.selectFrom('account_identity')
		.where('account_id', '=', accountId)
		.select(['id', 'issuer', 'email', 'created_at', 'last_used_at'])
		.orderBy('created_at')
		.execute();
	return rows.map((r) => ({ id: r.id, issuer: r.issuer, email: r.email, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

/** Removes a link from the profile. The person can still sign in with their password, or link again. */
export async function unlinkIdentity(db: Kysely<Database>, accountId: string, identityId: string): Promise<void> {
	await inTransaction(db, async (trx) => {
		const res = await trx.deleteFrom('account_identity').where('id', '=', identityId).where('account_id', '=', accountId).executeTakeFirst();
		if (Number(res.numDeletedRows) !== 1) throw new DomainError('sso.notLinked', 404);
		await recordAudit(trx, { labId: null, actorId: accountId, action: 'account.unlinkIdentity', subjectType: 'account', subjectId: accountId });
	});
}

/** Opens a Labo session for a sign-in through the provider, keeping its ID token for logout. */
export async function openProviderSession(db: Kysely<Database>, accountId: string, id: ProviderIdentity): Promise<{ token: string; expiresAt: Date }> {
	return inTransaction(db, async (trx) => {
		const session = await createSession(trx, accountId);
		await trx
			.insertInto('sso_session')
			.values({ session_id: hashToken(session.token), issuer: id.issuer, id_token: id.idToken, created_at: nowIso() })
			.execute();
		await recordAudit(trx, {
			labId: null,
			actorId: accountId,
			action: 'account.login',
			subjectType: 'account',
			subjectId: accountId,
			summary: { sso: id.issuer, acr: id.acr }
		});
		return session;
	});
}

/** The ID token of the session behind a cookie token, if it was opened through the provider. */
export async function providerSessionHint(db: Kysely<Database>, sessionToken: string): Promise<string | null> {
	const row = await db.selectFrom('sso_session').where('session_id', '=', hashToken(sessionToken)).select('id_token').executeTakeFirst();
	return row?.id_token ?? null;
}
