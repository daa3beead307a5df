import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { isoIn, newId, nowIso, inTransaction } from '../db/util';
import { DomainError } from '../errors';
import { recordAudit } from '../audit/audit.service';
import { enqueueMail } from '../mail/outbox';
import { mailTexts } from '../mail/templates';
import { clearRateLimit, hitRateLimit, LIMITS } from '../ratelimit/ratelimit';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password';
import { createSession, invalidateAllSessions } from './session';
import { hashToken, newToken } from './tokens';
import type { Locale } from '$lib/shared/roles';

export const normaliseEmail = (e: string): string => e.trim().toLowerCase();

/**
 * Checks e-mail and password. Failures are generic (no hint whether the e-mail exists) and
 * counted per e-mail and address; past the limit, even a right password is refused for a while.
 */
export async function login(
	db: Kysely<Database>,
	input: { email: string; password: string; ip: string }
): Promise<{ token: string; expiresAt: Date; accountId: string }> {
	const email = normaliseEmail(input.email);
	const key = `login:${input.ip}:${email}`;
	const account = await db
		.selectFrom('account')
		.where('email', '=', email)
		.select(['id', 'password_hash', 'disabled_at'])
		.executeTakeFirst();
	const ok = await verifyPassword(input.password, account?.password_hash ?? DUMMY_HASH);
	if (!ok || !account) {
		const hit = await hitRateLimit(db, key, LIMITS.login);
		if (!hit.allowed)
			throw new DomainError('auth.tooManyAttempts', 429, { minutes: Math.ceil(hit.retryAfterSeconds / 60) });
		throw new DomainError('auth.invalidCredentials', 400);
	}
	// A right password does not reset a limit already reached.
	const blocked = await db.selectFrom('rate_limit').where('key', '=', key).select(['count', 'reset_at']).executeTakeFirst();
	if (blocked && Number(blocked.count) >= LIMITS.login.max && Date.parse(blocked.reset_at) > Date.now()) {
		const minutes = Math.ceil((Date.parse(blocked.reset_at) - Date.now()) / 60000);
		throw new DomainError('auth.tooManyAttempts', 429, { minutes });
	}
	// Said only to whoever knows the password, so it tells others nothing about the account.
	if (account.disabled_at) throw new DomainError('auth.accountDisabled', 403);
	await clearRateLimit(db, key);
	const session = await createSession(db, account.id);
	await recordAudit(db, { labId: null, actorId: account.id, action: 'account.login', subjectType: 'account', subjectId: account.id });
	return { ...session, accountId: account.id };
}

/** Creates a person and an account; the e-mail must be free. */
export async function createAccount(
	db: Kysely<Database>,
	input: { name: string; email: string; password: string; organisation?: string | null; isAdmin?: boolean; locale?: Locale }
): Promise<{ accountId: string; personId: string }> {
	const passwordHash = await hashPassword(input.password);
	return inTransaction(db, (trx) => insertAccount(trx, { ...input, passwordHash }));
}

/** Inserts person + account inside the caller's transaction (the password already hashed). */
export async function insertAccount(
	trx: Kysely<Database>,
	input: { name: string; email: string; passwordHash: string; organisation?: string | null; isAdmin?: boolean; locale?: Locale }
): Promise<{ accountId: string; personId: string }> {
	const email = normaliseEmail(input.email);
	const existing = await trx.selectFrom('account').where('email', '=', email).select('id').executeTakeFirst();
	if (existing) throw new DomainError('account.emailTaken', 409, {}, 'email');
	const now = nowIso();
	const personId = newId();
	const accountId = newId();
	await trx
		.insertInto('person')
		.values({ id: personId, name: input.name.trim(), email, organisation: input.organisation ?? null, created_at: now, updated_at: now })
		.execute();
	await trx
		.insertInto('account')
		.values({
			id: accountId,
			person_id: personId,
			email,
			password_hash: input.passwordHash,
			locale: input.locale ?? 'fr',
			is_admin: input.isAdmin ? 1 : 0,
			created_at: now,
			updated_at: now
		})
		.execute();
	await recordAudit(trx, { labId: null, actorId: accountId, action: 'account.create', subjectType: 'account', subjectId: accountId });
	return { accountId, personId };
}

const RESET_TTL_MS = 60 * 60 * 1000;

/**
 * Sends a reset link if the e-mail has an account that is not disabled. Says nothing either way, so the form cannot
 * be used to find out who has an account.
 */
export async function requestPasswordReset(
	db: Kysely<Database>,
	input: { email: string; origin: string; ip: string }
): Promise<void> {
	const hit = await hitRateLimit(db, `reset:${input.ip}`, LIMITS.publicForm);
	if (!hit.allowed) throw new DomainError('auth.tooManyAttempts', 429, { minutes: Math.ceil(hit.retryAfterSeconds / 60) });
	const account = await db
		.selectFrom('account')
		.innerJoin('person', 'person.id', 'account.person_id')
		.where('account.email', '=', normaliseEmail(input.email))
		.where('account.disabled_at', 'is', null)
		.select(['account.id', 'account.email', 'account.locale', 'person.name'])
		.executeTakeFirst();
	if (!account) return;
	const token = newToken();
	await inTransaction(db, async (trx) => {
		await trx
			.insertInto('password_reset')
			.values({ token_hash: hashToken(token), account_id: account.id, expires_at: isoIn(RESET_TTL_MS), used_at: null, created_at: nowIso() })
			.execute();
		const mail = mailTexts.passwordReset({ name: account.name, url: `${input.origin}/password/reset/${token}` });
		await enqueueMail(trx, { labId: null, to: account.email, ...mail });
		await recordAudit(trx, { labId: null, actorId: account.id, action: 'account.resetRequested', subjectType: 'account', subjectId: account.id });
	});
}

export async function checkResetToken(db: Kysely<Database>, token: string): Promise<{ accountId: string }> {
	const row = await db.selectFrom('password_reset').where('token_hash', '=', hashToken(token)).selectAll().executeTakeFirst();
	if (!row) throw new DomainError('reset.invalid', 404);
	if (row.used_at) throw new DomainError('reset.used', 410);
	if (Date.parse(row.expires_at) <= Date.now()) throw new DomainError('reset.expired', 410);
	return { accountId: row.account_id };
}

/** Sets a new password from a reset link, once; every open session of the account is closed. */
export async function resetPassword(db: Kysely<Database>, token: string, password: string): Promise<void> {
	const passwordHash = await hashPassword(password);
	await inTransaction(db, async (trx) => {
		const { accountId } = await checkResetToken(trx, token);
		const used = await trx
			.updateTable('password_reset')
			.set({ used_at: nowIso() })
			.where('token_hash', '=', hashToken(token))
			.where('used_at', 'is', null)
			.executeTakeFirst();
		if (Number(used.numUpdatedRows) !== 1) throw new DomainError('reset.used', 410);
		await trx.updateTable('account').set({ password_hash: passwordHash, updated_at: nowIso() }).where('id', '=', accountId).execute();
		await invalidateAllSessions(trx, accountId);
		await recordAudit(trx, { labId: null, actorId: accountId, action: 'account.passwordReset', subjectType: 'account', subjectId: accountId });
	});
}

export async function updateProfile(
	db: Kysely<Database>,
	accountId: string,
	input: { name: string; organisation: string | null; locale: Locale }
): Promise<void> {
	await inTransaction(db, async (trx) => {
		const acc = await trx.selectFrom('account').where('id', '=', accountId).select('person_id').executeTakeFirstOrThrow();
		const now = nowIso();
		await trx.updateTable('person').set({ name: input.name.trim(), organisation: input.organisation, updated_at: now }).where('id', '=', acc.person_id).execute();
		await trx.updateTable('account').set({ locale: input.locale, updated_at: now }).where('id', '=', accountId).execute();
		await recordAudit(trx, { labId: null, actorId: accountId, action: 'account.updateProfile', subjectType: 'account', subjectId: accountId });
	});
}

export async function setLocale(db: Kysely<Database>, accountId: string, locale: Locale): Promise<void> {
	await inTransaction(db, async (trx) => {
		await trx.updateTable('account').set({ locale, updated_at: nowIso() }).where('id', '=', accountId).execute();
		await recordAudit(trx, { labId: null, actorId: accountId, action: 'account.setLocale', subjectType: 'account', subjectId: accountId, summary: { locale } });
	});
}

export async function changePassword(
	db: Kysely<Database>,
	accountId: string,
	input: { current: string; next: string }
): Promise<void> {
	const acc = await db.selectFrom('account').where('id', '=', accountId).select('password_hash').executeTakeFirstOrThrow();
	if (!(await verifyPassword(input.current, acc.password_hash)))
		throw new DomainError('auth.wrongCurrentPassword', 400, {}, 'current');
	const passwordHash = await hashPassword(input.next);
	await inTransaction(db, async (trx) => {
		await trx.updateTable('account').set({ password_hash: passwordHash, updated_at: nowIso() }).where('id', '=', accountId).execute();
		await recordAudit(trx, { labId: null, actorId: accountId, action: 'account.changePassword', subjectType: 'account', subjectId: accountId });
	});
}
