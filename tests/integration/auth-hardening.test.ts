import { randomBytes, scryptSync } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { FACTORY_PASSWORD, FACTORY_PASSWORD_HASH, makeAccount, uid } from '../factories';
import type { Db } from '../../src/lib/server/db';
import { insertAccount, changePassword, login, loginLimitKeys, requestPasswordReset, resetPassword } from '../../src/lib/server/auth/auth.service';
import { createSession, SESSION_IDLE_MS, SESSION_MAX_MS, validateSession } from '../../src/lib/server/auth/session';
import { DUMMY_HASH, hashing, hashPassword, hashStats, needsRehash, Semaphore, verifyPassword } from '../../src/lib/server/auth/password';
import { isKnownDevice } from '../../src/lib/server/auth/devices';
import { hashToken } from '../../src/lib/server/auth/tokens';
import { hitRateLimit, purgeRateLimits, purgeSchedule } from '../../src/lib/server/ratelimit/ratelimit';
import { acceptInvitation } from '../../src/lib/server/members/members.service';
import { DEMO_PASSWORD, DEMO_PASSWORD_HASH } from '../../src/lib/server/demo/seed';
import { deviceCookieName, readDeviceCookie, readSessionCookie, sessionCookieName, setDeviceCookie, setSessionCookie } from '../../src/lib/server/cookies';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A stored hash in the app's format with chosen scrypt parameters (made here, outside the app). */
function storedHash(password: string, n: number): string {
	const salt = randomBytes(16);
	const key = scryptSync(password.normalize('NFKC'), salt, 32, { N: n, r: 8, p: 1, maxmem: 256 * 1024 * 1024 });
	return ['scrypt', n, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
}

// Throttling does not depend on the hash's cost: these accounts are stored with a cheap one (N=2^10)
// so that tests can fail many logins quickly. A successful login rehashes it at today's parameters.
const PASSWORD = 'right-password-1';
const CHEAP = storedHash(PASSWORD, 1024);

async function cheapAccount(db: Db): Promise<{ accountId: string; email: string }> {
	const email = `throttle-${uid()}@example.test`;
	const { accountId } = await insertAccount(db, { name: 'Throttled', email, passwordHash: CHEAP });
	return { accountId, email };
}

/** Puts the cheap hash back (a successful login has just rehashed the password at N=2^17). */
async function cheapAgain(db: Db, accountId: string): Promise<void> {
	await db.updateTable('account').set({ password_hash: CHEAP }).where('id', '=', accountId).execute();
}

/** Moves a rate_limit row's clock back by `ms` (as if its failures happened that long ago). */
async function ageRow(db: Db, key: string, ms: number): Promise<void> {
	const row = await db.selectFrom('rate_limit').where('key', '=', key).select('reset_at').executeTakeFirstOrThrow();
	await db
		.updateTable('rate_limit')
		.set({ reset_at: new Date(Date.parse(row.reset_at) - ms).toISOString() })
		.where('key', '=', key)
		.execute();
}

const rejectsWith = async (p: Promise<unknown>, code: string) => {
	await expect(p).rejects.toMatchObject({ code });
};

describeEachDialect('login throttling', (getDb) => {
	it('limits an address that tries many e-mails (an IPv6 /64 counts as one address)', async () => {
		const db = getDb();
		const net = `2001:db8:${randomBytes(2).toString('hex')}:1`;
		// 30 failures, each on a different account and from a different address of the same /64.
		for (let i = 1; i <= 30; i++) {
			const victim = await cheapAccount(db);
			await rejectsWith(login(db, { email: victim.email, password: 'wrong-password', ip: `${net}::${i.toString(16)}` }), 'auth.invalidCredentials');
		}
		const target = await cheapAccount(db);
		const before = hashStats.count;
		await expect(login(db, { email: target.email, password: PASSWORD, ip: `${net}:ffff:ffff:ffff:1` })).rejects.toMatchObject({
			code: 'auth.tooManyAttempts',
			status: 429
		});
		expect(hashStats.count).toBe(before); // refused before any hash
		// The account itself is not cooling down: from another address it gets in.
		await expect(login(db, { email: target.email, password: PASSWORD, ip: `2001:db8:ffff:2::1` })).resolves.toMatchObject({ accountId: target.accountId });
	});

	it('cools an account down whatever the addresses, with growing delays, before hashing', async () => {
		const db = getDb();
		const a = await cheapAccount(db);
		for (let i = 1; i <= 5; i++) await rejectsWith(login(db, { email: a.email, password: 'wrong-password', ip: `198.51.100.${i}` }), 'auth.invalidCredentials');
		const before = hashStats.count;
		await expect(login(db, { email: a.email, password: PASSWORD, ip: '198.51.100.77' })).rejects.toMatchObject({
			code: 'auth.tooManyAttempts',
			params: { minutes: 1 }
		});
		expect(hashStats.count).toBe(before);
		// A minute later one more failure closes it for two minutes, then four.
		const key = loginLimitKeys(a.email, '198.51.100.1').account;
		await ageRow(db, key, MINUTE + 1000);
		await rejectsWith(login(db, { email: a.email, password: 'wrong-password', ip: '198.51.100.8' }), 'auth.invalidCredentials');
		await expect(login(db, { email: a.email, password: PASSWORD, ip: '198.51.100.9' })).rejects.toMatchObject({ params: { minutes: 2 } });
		await ageRow(db, key, 2 * MINUTE + 1000);
		await rejectsWith(login(db, { email: a.email, password: 'wrong-password', ip: '198.51.100.10' }), 'auth.invalidCredentials');
		await expect(login(db, { email: a.email, password: PASSWORD, ip: '198.51.100.11' })).rejects.toMatchObject({ params: { minutes: 4 } });
		// Once the delay has passed, the right password gets in (and clears the count).
		await ageRow(db, key, 4 * MINUTE + 1000);
		await expect(login(db, { email: a.email, password: PASSWORD, ip: '198.51.100.12' })).resolves.toMatchObject({ accountId: a.accountId });
		expect(await db.selectFrom('rate_limit').where('key', '=', key).selectAll().executeTakeFirst()).toBeUndefined();
	});

	it('gives a burst of parallel guesses on one account no more hashes than a sequence', async () => {
		const db = getDb();
		const a = await makeAccount(db); // a real N=2^17 hash: the attempts overlap
		const before = hashStats.count;
		const results = await Promise.all(
			Array.from({ length: 10 }, (_, i) =>
				login(db, { email: a.email, password: `guess-number-${i}`, ip: `100.64.0.${i}` }).catch((e: { code: string }) => e.code)
			)
		);
		const hashes = hashStats.count - before;
		const row = await db.selectFrom('rate_limit').where('key', '=', loginLimitKeys(a.email, '100.64.0.1').account).select('count').executeTakeFirstOrThrow();
		expect(hashes).toBeGreaterThanOrEqual(1);
		expect(hashes).toBeLessThanOrEqual(5);
		expect(Number(row.count)).toBe(hashes); // every hash was counted before it was made
		expect(results.filter((c) => c === 'auth.invalidCredentials')).toHaveLength(hashes);
		expect(results.filter((c) => c === 'auth.tooManyAttempts')).toHaveLength(10 - hashes);
	});

	it('throttles unknown e-mails exactly like known ones', async () => {
		const db = getDb();
		const ghost = `ghost-${uid()}@example.test`;
		for (let i = 1; i <= 5; i++) await rejectsWith(login(db, { email: ghost, password: 'whatever-1', ip: `203.0.113.${i}` }), 'auth.invalidCredentials');
		await rejectsWith(login(db, { email: ghost, password: 'whatever-1', ip: '203.0.113.99' }), 'auth.tooManyAttempts');
	});

	it('lets a known device in with the right password while the account and its address are locked', async () => {
		const db = getDb();
		const a = await cheapAccount(db);
		const proxy = `192.0.2.${1 + (randomBytes(1)[0]! % 250)}`;
		const first = await login(db, { email: a.email, password: PASSWORD, ip: proxy });
		expect(first.device.token).toMatch(/^[\w-]{43}$/);
		expect(await isKnownDevice(db, a.accountId, first.device.token)).toBe(true);
		// Stored hashed: the token itself is nowhere in the database.
		expect(await db.selectFrom('rate_limit').where('key', 'like', `%${first.device.token}%`).selectAll().execute()).toEqual([]);
		await cheapAgain(db, a.accountId);

		// Someone behind the same proxy fails on this account, then on 30 others.
		for (let i = 0; i < 5; i++) await rejectsWith(login(db, { email: a.email, password: 'wrong-password', ip: proxy }), 'auth.invalidCredentials');
		for (let i = 0; i < 25; i++) {
			const other = await cheapAccount(db);
			await rejectsWith(login(db, { email: other.email, password: 'wrong-password', ip: proxy }), 'auth.invalidCredentials');
		}
		await rejectsWith(login(db, { email: a.email, password: PASSWORD, ip: proxy }), 'auth.tooManyAttempts');
		// The owner's browser still gets in, from that same address.
		const again = await login(db, { email: a.email, password: PASSWORD, ip: proxy, deviceToken: first.device.token });
		expect(again.device.token).toBe(first.device.token);
		// Their success does not lift the cool-down for everyone else.
		await rejectsWith(login(db, { email: a.email, password: PASSWORD, ip: '198.18.0.1' }), 'auth.tooManyAttempts');
		// A device token known for another account, or made up, is no pass.
		const b = await cheapAccount(db);
		for (let i = 0; i < 5; i++) await rejectsWith(login(db, { email: b.email, password: 'wrong-password', ip: `198.18.1.${i}` }), 'auth.invalidCredentials');
		await rejectsWith(login(db, { email: b.email, password: PASSWORD, ip: '198.18.2.1', deviceToken: first.device.token }), 'auth.tooManyAttempts');
		await rejectsWith(login(db, { email: a.email, password: PASSWORD, ip: '198.18.2.1', deviceToken: 'x'.repeat(43) }), 'auth.tooManyAttempts');
	});

	it('gives a known device a cool-down of its own', async () => {
		const db = getDb();
		const a = await cheapAccount(db);
		const { device } = await login(db, { email: a.email, password: PASSWORD, ip: '198.18.3.1' });
		await cheapAgain(db, a.accountId);
		for (let i = 0; i < 5; i++)
			await rejectsWith(login(db, { email: a.email, password: 'wrong-password', ip: '198.18.3.1', deviceToken: device.token }), 'auth.invalidCredentials');
		const before = hashStats.count;
		await rejectsWith(login(db, { email: a.email, password: PASSWORD, ip: '198.18.3.1', deviceToken: device.token }), 'auth.tooManyAttempts');
		expect(hashStats.count).toBe(before);
	});

	it('caps concurrent hashing and refuses past a bounded queue with auth.busy', async () => {
		const saved = { concurrency: hashing.concurrency, queue: hashing.queue };
		try {
			// One running, one waiting: a third hash asked for meanwhile is refused.
			hashing.concurrency = 1;
			hashing.queue = 1;
			const [r1, r2, r3] = await Promise.all([CHEAP, CHEAP, CHEAP].map((h) => verifyPassword(PASSWORD, h).catch((e: unknown) => e)));
			expect([r1, r2]).toEqual([true, true]);
			expect(r3).toMatchObject({ code: 'auth.busy', status: 503 });
			// A login that finds no room says so, and counts no failure.
			const a = await cheapAccount(getDb());
			hashing.concurrency = 0;
			hashing.queue = 0;
			await expect(login(getDb(), { email: a.email, password: PASSWORD, ip: '198.18.4.1' })).rejects.toMatchObject({ code: 'auth.busy', status: 503 });
			const key = loginLimitKeys(a.email, '198.18.4.1').account;
			expect(await getDb().selectFrom('rate_limit').where('key', '=', key).selectAll().executeTakeFirst()).toBeUndefined();
		} finally {
			Object.assign(hashing, saved);
		}
	});

	it('purges rate_limit rows past their end, from hitRateLimit at most once a minute', async () => {
		const db = getDb();
		const old = new Date(Date.now() - MINUTE).toISOString();
		const live = new Date(Date.now() + MINUTE).toISOString();
		const k = uid();
		await db
			.insertInto('rate_limit')
			.values([
				{ key: `old-${k}`, count: 3, reset_at: old },
				{ key: `live-${k}`, count: 3, reset_at: live }
			])
			.execute();
		expect(await purgeRateLimits(db)).toBeGreaterThanOrEqual(1);
		const keys = async () => (await db.selectFrom('rate_limit').where('key', 'like', `%-${k}`).select('key').execute()).map((r) => r.key).sort();
		expect(await keys()).toEqual([`live-${k}`]);

		await db
			.insertInto('rate_limit')
			.values({ key: `old2-${k}`, count: 1, reset_at: old })
			.execute();
		purgeSchedule.lastAt = 0;
		await hitRateLimit(db, `hit-${k}`, { max: 5, windowMs: MINUTE });
		expect(await keys()).toEqual([`hit-${k}`, `live-${k}`]);
		// Within the minute, no second purge.
		await db
			.insertInto('rate_limit')
			.values({ key: `old3-${k}`, count: 1, reset_at: old })
			.execute();
		await hitRateLimit(db, `hit-${k}`, { max: 5, windowMs: MINUTE });
		expect(await keys()).toEqual([`hit-${k}`, `live-${k}`, `old3-${k}`]);
	});
});

describeEachDialect('password hashing, sessions and reset links', (getDb) => {
	it('upgrades a password hashed with N=2^15 at the next successful login', async () => {
		const db = getDb();
		const a = await makeAccount(db);
		const old = storedHash('old-password-15', 32768);
		await db.updateTable('account').set({ password_hash: old }).where('id', '=', a.accountId).execute();
		const stored = async () => (await db.selectFrom('account').where('id', '=', a.accountId).select('password_hash').executeTakeFirstOrThrow()).password_hash;
		await rejectsWith(login(db, { email: a.email, password: 'not-it-at-all', ip: '10.1.0.1' }), 'auth.invalidCredentials');
		expect(await stored()).toBe(old);
		await login(db, { email: a.email, password: 'old-password-15', ip: '10.1.0.1' });
		const now = await stored();
		expect(now).toMatch(/^scrypt\$131072\$8\$1\$/);
		expect(needsRehash(now)).toBe(false);
		expect(await verifyPassword('old-password-15', now)).toBe(true);
		const audit = await db.selectFrom('audit_entry').where('actor_id', '=', a.accountId).where('action', '=', 'account.login').select('summary').execute();
		expect(audit.map((r) => JSON.parse(r.summary))).toContainEqual({ rehashed: true });
	});

	it('ends every other session on a password change, and all of them on a reset', async () => {
		const db = getDb();
		const a = await makeAccount(db);
		const here = await createSession(db, a.accountId);
		const elsewhere = await createSession(db, a.accountId);
		await changePassword(db, a.accountId, { current: FACTORY_PASSWORD, next: 'changed-password-1' }, here.token);
		expect(await validateSession(db, here.token)).not.toBeNull();
		expect(await validateSession(db, elsewhere.token)).toBeNull();

		const device = (await login(db, { email: a.email, password: 'changed-password-1', ip: '10.1.0.2' })).device;
		await requestPasswordReset(db, { email: a.email, origin: 'http://labo.test', ip: '10.1.0.2' });
		const mail = await db.selectFrom('outbox_message').where('to_address', '=', a.email).select('text_body').executeTakeFirstOrThrow();
		const token = /password\/reset\/([\w-]+)/.exec(mail.text_body)![1]!;
		const res = await resetPassword(db, token, 'reset-password-1', null);
		expect(await validateSession(db, here.token)).toBeNull();
		// Known devices are forgotten, except the browser that completed the reset.
		expect(await isKnownDevice(db, a.accountId, device.token)).toBe(false);
		expect(await isKnownDevice(db, a.accountId, res.device.token)).toBe(true);
	});

	it('ends a session after a week without use and 30 days after it opened, however used', async () => {
		const db = getDb();
		const a = await makeAccount(db);
		const s = await createSession(db, a.accountId);
		expect(s.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(SESSION_IDLE_MS);
		expect(s.expiresAt.getTime() - Date.now()).toBeGreaterThan(SESSION_IDLE_MS - MINUTE);
		const id = hashToken(s.token);
		const set = (v: { created_at?: string; expires_at?: string }) => db.updateTable('session').set(v).where('id', '=', id).execute();
		// Used late in its idle week: pushed back, but never past 30 days from its opening.
		const created = Date.now() - SESSION_MAX_MS + 2 * DAY;
		await set({ created_at: new Date(created).toISOString(), expires_at: new Date(Date.now() + DAY).toISOString() });
		const v = await validateSession(db, s.token);
		expect(v?.renewedUntil?.getTime()).toBe(created + SESSION_MAX_MS);
		// Past 30 days it is over, even though its idle end is still ahead.
		await set({ created_at: new Date(Date.now() - SESSION_MAX_MS - MINUTE).toISOString(), expires_at: new Date(Date.now() + DAY).toISOString() });
		expect(await validateSession(db, s.token)).toBeNull();
		expect(await db.selectFrom('session').where('id', '=', id).selectAll().executeTakeFirst()).toBeUndefined();
	});

	it('voids the earlier unused reset links when a new one is asked for', async () => {
		const db = getDb();
		const a = await makeAccount(db);
		const links = async () =>
			(await db.selectFrom('outbox_message').where('to_address', '=', a.email).select('text_body').execute()).map(
				(m) => /password\/reset\/([\w-]+)/.exec(m.text_body)![1]!
			);
		await requestPasswordReset(db, { email: a.email, origin: 'http://labo.test', ip: '10.1.0.3' });
		const [first] = await links();
		await requestPasswordReset(db, { email: a.email, origin: 'http://labo.test', ip: '10.1.0.3' });
		const second = (await links()).find((t) => t !== first);
		expect(first).toBeTruthy();
		expect(second).toBeTruthy();
		await rejectsWith(resetPassword(db, first!, 'first-link-password'), 'reset.expired');
		await resetPassword(db, second!, 'second-link-password');
		await expect(login(db, { email: a.email, password: 'second-link-password', ip: '10.1.0.3' })).resolves.toBeTruthy();
	});

	it('checks reset and invitation tokens before hashing the new password', async () => {
		const db = getDb();
		const before = hashStats.count;
		await rejectsWith(resetPassword(db, 'no-such-token', 'some-new-password'), 'reset.invalid');
		await rejectsWith(acceptInvitation(db, 'no-such-token', { name: 'X', password: 'some-new-password' }), 'invitation.invalid');
		expect(hashStats.count).toBe(before);
	});
});

describe('password hashes', () => {
	it('hashes at N=2^17, r=8, p=1, and keeps the dummy and precomputed hashes at those parameters', async () => {
		expect(await hashPassword('correct horse battery')).toMatch(/^scrypt\$131072\$8\$1\$/);
		expect(needsRehash(DUMMY_HASH)).toBe(false);
		expect(needsRehash(FACTORY_PASSWORD_HASH)).toBe(false);
		expect(needsRehash(DEMO_PASSWORD_HASH)).toBe(false);
		expect(needsRehash(storedHash('x', 32768))).toBe(true);
		expect(await verifyPassword(FACTORY_PASSWORD, FACTORY_PASSWORD_HASH)).toBe(true);
		expect(await verifyPassword(DEMO_PASSWORD, DEMO_PASSWORD_HASH)).toBe(true);
	});

	it('refuses stored parameters it could not have written', async () => {
		const before = hashStats.count;
		expect(await verifyPassword('x', 'scrypt$3$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=')).toBe(false);
		expect(await verifyPassword('x', 'scrypt$4194304$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=')).toBe(false);
		expect(hashStats.count).toBe(before);
	});

	it('a semaphore lets `concurrency` run, queues `queue` in order, refuses the rest', async () => {
		const s = new Semaphore(1, 2);
		const order: number[] = [];
		const r1 = await s.acquire();
		const p2 = s.acquire().then((rel) => (order.push(2), rel));
		const p3 = s.acquire().then((rel) => (order.push(3), rel));
		await expect(s.acquire()).rejects.toMatchObject({ code: 'auth.busy', status: 503 });
		r1();
		(await p2)();
		(await p3)();
		expect(order).toEqual([2, 3]);
		// All slots free again: the next one runs at once, twice released does not count twice.
		const r4 = await s.acquire();
		r4();
		r4();
		const r5 = await s.acquire();
		const waiting = s.acquire();
		r5();
		(await waiting)();
	});
});

describe('session and device cookies', () => {
	function fakeCookies(jar: Record<string, string> = {}) {
		const set: Array<{ name: string; value: string; opts: Record<string, unknown> }> = [];
		const cookies = {
			get: (name: string) => jar[name],
			set: (name: string, value: string, opts: Record<string, unknown>) => void set.push({ name, value, opts }),
			delete: () => undefined
		} as unknown as Cookies;
		return { cookies, set };
	}
	const https = new URL('https://labo.example.org/login');
	const http = new URL('http://localhost:3000/login');

	it('is __Host- prefixed, Secure, Path=/ and without Domain over https', () => {
		const { cookies, set } = fakeCookies();
		const expires = new Date(Date.now() + DAY);
		setSessionCookie(cookies, https, 'tok', expires);
		setDeviceCookie(cookies, https, 'dev', expires);
		expect(set.map((c) => c.name)).toEqual(['__Host-labo_session', '__Host-labo_device']);
		for (const c of set) {
			expect(c.opts).toMatchObject({ path: '/', secure: true, httpOnly: true });
			expect(c.opts).not.toHaveProperty('domain');
		}
	});

	it('is plain over http, and only the name matching the protocol is read', () => {
		const { cookies, set } = fakeCookies({
			labo_session: 'plain',
			'__Host-labo_session': 'prefixed',
			labo_device: 'plain-d',
			'__Host-labo_device': 'prefixed-d'
		});
		setSessionCookie(cookies, http, 'tok', new Date(Date.now() + DAY));
		expect(set[0]).toMatchObject({ name: 'labo_session', opts: { secure: false, path: '/' } });
		expect(sessionCookieName(http)).toBe('labo_session');
		expect(deviceCookieName(https)).toBe('__Host-labo_device');
		expect(readSessionCookie(cookies, https)).toBe('prefixed');
		expect(readSessionCookie(cookies, http)).toBe('plain');
		expect(readDeviceCookie(cookies, https)).toBe('prefixed-d');
		expect(readDeviceCookie(cookies, http)).toBe('plain-d');
		expect(readSessionCookie(fakeCookies({ labo_session: 'plain' }).cookies, https)).toBeUndefined();
	});
});
