import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { isoIn, newId, nowIso, inTransaction } from '../db/util';
import { DomainError } from '../errors';
import { recordAudit } from '../audit';
import { enqueueMail } from '../mail';
import { mailTexts } from '../mail';
import { limitKey, loginLimitKeys, normaliseEmail } from './limit-keys';
import { addressGroup } from '../ratelimit';
import { checkCooldown, claimCooldown, clearRateLimit, COOLDOWNS, hitCooldown, hitRateLimit, LIMITS, peekRateLimit, unclaimCooldown } from '../ratelimit';
import { deviceToken, forgetDevices, isKnownDevice, rememberDevice } from './devices';
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from './password';
import { createSession, invalidateAllSessions, invalidateOtherSessions } from './session';
import { hashToken, newToken } from './tokens';
import type { Locale } from '$lib/shared/roles';

export { normaliseEmail, loginLimitKeys } from './limit-keys';

const tooMany = (retryAfterSeconds: number) => new DomainError('auth.tooManyAttempts', 429, { minutes: Math.max(1, Math.ceil(retryAfterSeconds / 60)) });

/**
 * Checks e-mail and password. Failures are generic (no hint whether the e-mail exists) and
 * throttled before any hash is computed (docs/decisions/009-login-throttling.md):
 * - per client address (an IPv6 /64 as one): LIMITS.loginAddress failures per window, whatever
 *   the e-mails tried;
 * - per e-mail, from anywhere: COOLDOWNS.loginAccount, growing delays during which even the
 *   right password is refused;
 * - a known device (its cookie token, recorded at an earlier success) passes both with the right
 *   password, under a cool-down of its own — so nobody can lock a person out from a shared
 *   address or by failing on purpose on their e-mail.
 * A success renews the device record (`device` is the token to keep in the cookie) and rehashes
 * a password stored with older scrypt parameters.
 */
export async function login(
	db: Kysely<Database>,
	input: { email: string; password: string; ip: string; deviceToken?: string | null }
): Promise<{ token: string; expiresAt: Date; accountId: string; device: { token: string; expiresAt: Date } }> {
	const email = normaliseEmail(input.email);
	const { account: accountKey, address: addressKey } = loginLimitKeys(email, input.ip);
	const account = await db.selectFrom('account').where('email', '=', email).select(['id', 'password_hash', 'disabled_at']).executeTakeFirst();
	const device = deviceToken(input.deviceToken ?? undefined);
	const known = account ? await isKnownDevice(db, account.id, device) : false;
	const deviceKey = known && device ? limitKey('login-device', device) : null;

	// Limits first: a refused attempt costs no hash. The cool-down that lets this attempt through
	// (the device's, or else the account's) counts it as a failure before the hash (claimCooldown).
	let accountCoolingDown: boolean;
	if (deviceKey) {
		const own = await claimCooldown(db, deviceKey, COOLDOWNS.loginAccount);
		if (!own.allowed) throw tooMany(own.retryAfterSeconds);
		accountCoolingDown = !(await checkCooldown(db, accountKey, COOLDOWNS.loginAccount)).allowed;
	} else {
		const address = await peekRateLimit(db, addressKey, LIMITS.loginAddress);
		if (!address.allowed) throw tooMany(address.retryAfterSeconds);
		const own = await claimCooldown(db, accountKey, COOLDOWNS.loginAccount);
		if (!own.allowed) throw tooMany(own.retryAfterSeconds);
		accountCoolingDown = false;
	}

	let ok: boolean;
	try {
		ok = await verifyPassword(input.password, account?.password_hash ?? DUMMY_HASH);
	} catch (e) {
		// No hash was made (auth.busy): the attempt does not count.
		await unclaimCooldown(db, deviceKey ?? accountKey);
		throw e;
	}
	if (!ok || !account) {
		await hitRateLimit(db, addressKey, LIMITS.loginAddress);
		if (deviceKey) await hitCooldown(db, accountKey, COOLDOWNS.loginAccount);
		throw new DomainError('auth.invalidCredentials', 400);
	}
	// Said only to whoever knows the password, so it tells others nothing about the account.
	if (account.disabled_at) throw new DomainError('auth.accountDisabled', 403);
	// An attack under way on the account is not reset by its owner getting in from a known device.
	if (!accountCoolingDown) await clearRateLimit(db, accountKey);
	if (deviceKey) await clearRateLimit(db, deviceKey);
	const rehashed = needsRehash(account.password_hash) ? await upgradeHash(db, account.id, account.password_hash, input.password) : false;
	const remembered = await rememberDevice(db, account.id, device);
	const session = await createSession(db, account.id);
	await recordAudit(db, {
		labId: null,
		actorId: account.id,
		action: 'account.login',
		subjectType: 'account',
		subjectId: account.id,
		summary: rehashed ? { rehashed: true } : undefined
	});
	return { ...session, accountId: account.id, device: remembered };
}

/** Stores the password again at today's scrypt parameters (skipped when hashing is saturated). */
async function upgradeHash(db: Kysely<Database>, accountId: string, oldHash: string, password: string): Promise<boolean> {
	let passwordHash: string;
	try {
		passwordHash = await hashPassword(password);
	} catch (e) {
		if (e instanceof DomainError) return false; // auth.busy: next time
		throw e;
	}
	const res = await db
		.updateTable('account')
		.set({ password_hash: passwordHash, updated_at: nowIso() })
		.where('id', '=', accountId)
		.where('password_hash', '=', oldHash)
		.executeTakeFirst();
	return Number(res.numUpdatedRows) === 1;
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
 * Sends a reset link if the e-mail has an account that is not disabled. Says nothing either
 * way, so the form cannot be used to find out who has an account. Links sent before and not
 * used stop working: only the latest one is valid.
 */
export async function requestPasswordReset(db: Kysely<Database>, input: { email: string; origin: string; ip: string }): Promise<void> {
	const hit = await hitRateLimit(db, `reset:${addressGroup(input.ip)}`, LIMITS.publicForm);
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
		const now = nowIso();
		await trx
			.updateTable('password_reset')
			.set({ expires_at: now })
			.where('account_id', '=', account.id)
			.where('used_at', 'is', null)
			.where('expires_at', '>', now)
			.execute();
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

/**
 * Sets a new password from a reset link, once. The link is checked before the (costly) hash.
 * Every open session of the account is closed and its known devices forgotten; the browser
 * that completed the reset (it proved it reads the mailbox) becomes a known device: `device` is
 * the token to keep in its cookie.
 */
export async function resetPassword(
	db: Kysely<Database>,
	token: string,
	password: string,
	currentDeviceToken?: string | null
): Promise<{ device: { token: string; expiresAt: Date } }> {
	await checkResetToken(db, token);
	const passwordHash = await hashPassword(password);
	return inTransaction(db, async (trx) => {
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
		await forgetDevices(trx, accountId);
		const device = await rememberDevice(trx, accountId, deviceToken(currentDeviceToken ?? undefined));
		await recordAudit(trx, { labId: null, actorId: accountId, action: 'account.passwordReset', subjectType: 'account', subjectId: accountId });
		return { device };
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
		await trx
			.updateTable('person')
			.set({ name: input.name.trim(), organisation: input.organisation, updated_at: now })
			.where('id', '=', acc.person_id)
			.execute();
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

/**
 * Changes the password, given the current one (wrong ones are limited per account, checked
 * before any hash). Every other session of the account ends; the one whose cookie token is
 * `currentSessionToken` stays open (none stays when it is not given).
 */
export async function changePassword(
	db: Kysely<Database>,
	accountId: string,
	input: { current: string; next: string },
	currentSessionToken?: string | null
): Promise<void> {
	const key = `password-change:${accountId}`;
	const limit = await peekRateLimit(db, key, LIMITS.passwordChange);
	if (!limit.allowed) throw tooMany(limit.retryAfterSeconds);
	const acc = await db.selectFrom('account').where('id', '=', accountId).select('password_hash').executeTakeFirstOrThrow();
	if (!(await verifyPassword(input.current, acc.password_hash))) {
		await hitRateLimit(db, key, LIMITS.passwordChange);
		throw new DomainError('auth.wrongCurrentPassword', 400, {}, 'current');
	}
	const passwordHash = await hashPassword(input.next);
	await inTransaction(db, async (trx) => {
		await trx.updateTable('account').set({ password_hash: passwordHash, updated_at: nowIso() }).where('id', '=', accountId).execute();
		if (currentSessionToken) await invalidateOtherSessions(trx, accountId, currentSessionToken);
		else await invalidateAllSessions(trx, accountId);
		await recordAudit(trx, { labId: null, actorId: accountId, action: 'account.changePassword', subjectType: 'account', subjectId: accountId });
	});
}
