import { expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { FACTORY_PASSWORD, makeAccount, uid } from '../factories';
import { changePassword, login, requestPasswordReset, resetPassword, updateProfile } from '../../src/lib/server/auth/auth.service';
import { validateSession } from '../../src/lib/server/auth/session';
import { hashPassword, verifyPassword } from '../../src/lib/server/auth/password';

const IP = '127.0.0.1';

describeEachDialect('accounts and sessions', (getDb) => {
	it('logs in with the right password (e-mail case ignored) and opens a session', async () => {
		const a = await makeAccount(getDb());
		const s = await login(getDb(), { email: a.email.toUpperCase(), password: FACTORY_PASSWORD, ip: IP });
		expect((await validateSession(getDb(), s.token))?.user.accountId).toBe(a.accountId);
	});

	it('answers the same generic error for a wrong password and an unknown e-mail', async () => {
		const a = await makeAccount(getDb());
		await expect(login(getDb(), { email: a.email, password: 'wrong-password', ip: IP })).rejects.toMatchObject({ code: 'auth.invalidCredentials' });
		await expect(login(getDb(), { email: `nobody-${uid()}@x.test`, password: 'whatever', ip: IP })).rejects.toMatchObject({
			code: 'auth.invalidCredentials'
		});
	});

	it('cools an e-mail down after 5 failures, from any address, even with the right password — but not for a known device', async () => {
		const a = await makeAccount(getDb());
		const before = await login(getDb(), { email: a.email, password: FACTORY_PASSWORD, ip: '10.0.0.8' });
		for (let i = 0; i < 5; i++)
			await expect(login(getDb(), { email: a.email, password: 'nope-nope', ip: `10.0.1.${i}` })).rejects.toMatchObject({ status: 400 });
		await expect(login(getDb(), { email: a.email, password: 'nope-nope', ip: '10.0.0.9' })).rejects.toMatchObject({
			code: 'auth.tooManyAttempts',
			status: 429
		});
		// Another address is blocked too…
		await expect(login(getDb(), { email: a.email, password: FACTORY_PASSWORD, ip: '10.0.0.10' })).rejects.toMatchObject({ code: 'auth.tooManyAttempts' });
		// …but not the browser that logged in before.
		await expect(login(getDb(), { email: a.email, password: FACTORY_PASSWORD, ip: '10.0.0.10', deviceToken: before.device.token })).resolves.toBeTruthy();
	}, 60_000); // seven scrypt hashes at N=2^17

	it('expires sessions and extends them when used late in their life', async () => {
		const a = await makeAccount(getDb());
		const s = await login(getDb(), { email: a.email, password: FACTORY_PASSWORD, ip: IP });
		const { hashToken } = await import('../../src/lib/server/auth/tokens');
		await getDb()
			.updateTable('session')
			.set({ expires_at: new Date(Date.now() + 86400_000).toISOString() })
			.where('id', '=', hashToken(s.token))
			.execute();
		const v = await validateSession(getDb(), s.token);
		expect(v?.renewedUntil).toBeInstanceOf(Date);
		await getDb().updateTable('session').set({ expires_at: '2001-01-01T00:00:00.000Z' }).where('id', '=', hashToken(s.token)).execute();
		expect(await validateSession(getDb(), s.token)).toBeNull();
	});

	it('resets a forgotten password through a one-time link and closes every session', async () => {
		const a = await makeAccount(getDb());
		const before = await login(getDb(), { email: a.email, password: FACTORY_PASSWORD, ip: IP });
		await requestPasswordReset(getDb(), { email: a.email, origin: 'http://labo.test', ip: IP });
		const mail = await getDb().selectFrom('outbox_message').where('to_address', '=', a.email).selectAll().executeTakeFirstOrThrow();
		const token = /password\/reset\/([\w-]+)/.exec(mail.text_body)![1]!;
		await resetPassword(getDb(), token, 'brand-new-password');
		await expect(resetPassword(getDb(), token, 'another-password')).rejects.toMatchObject({ code: 'reset.used' });
		expect(await validateSession(getDb(), before.token)).toBeNull();
		await expect(login(getDb(), { email: a.email, password: 'brand-new-password', ip: IP })).resolves.toBeTruthy();
	});

	it('says nothing and sends nothing for an unknown address', async () => {
		const email = `ghost-${uid()}@example.test`;
		await requestPasswordReset(getDb(), { email, origin: 'http://labo.test', ip: IP });
		expect(await getDb().selectFrom('outbox_message').where('to_address', '=', email).selectAll().execute()).toEqual([]);
	});

	it('changes the password only with the current one, and updates the profile', async () => {
		const a = await makeAccount(getDb());
		await expect(changePassword(getDb(), a.accountId, { current: 'bad', next: 'new-password-1' })).rejects.toMatchObject({
			code: 'auth.wrongCurrentPassword',
			field: 'current'
		});
		await changePassword(getDb(), a.accountId, { current: FACTORY_PASSWORD, next: 'new-password-1' });
		await updateProfile(getDb(), a.accountId, { name: 'Nouveau Nom', organisation: 'Région', locale: 'en' });
		const s = await login(getDb(), { email: a.email, password: 'new-password-1', ip: IP });
		expect((await validateSession(getDb(), s.token))?.user).toMatchObject({ name: 'Nouveau Nom', organisation: 'Région', locale: 'en' });
	});
});

it('hashes passwords with a salt and verifies them', async () => {
	const h1 = await hashPassword('correct horse');
	const h2 = await hashPassword('correct horse');
	expect(h1).not.toBe(h2);
	expect(await verifyPassword('correct horse', h1)).toBe(true);
	expect(await verifyPassword('correct horsE', h1)).toBe(false);
	expect(await verifyPassword('x', 'garbage')).toBe(false);
});
