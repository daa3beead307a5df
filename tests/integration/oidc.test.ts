/**
 * Single sign-on against a real OpenID Provider (tests/setup/oidc-op.ts, configured like
 * ProConnect) on 127.0.0.1: the whole flow, the account rules, and each failure the issue lists.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { startTestOp, signInAtOp, type OpAccount, type TestOp } from '../setup/oidc-op';
import { makeLab, makeMember, uid, FACTORY_PASSWORD } from '../factories';
import { resetEnvForTests, ConfigError } from '../../src/lib/server/env';
import { beginOidc, completeOidc, endSessionUrl, oidcSettings, passwordLoginEnabled, resetOidcForTests } from '../../src/lib/server/auth/oidc';
import { openFlow, sealFlow, type OidcFlow } from '../../src/lib/server/auth/oidc-flow';
import { accountByEmail, identitiesOf, providerSessionHint, unlinkIdentity } from '../../src/lib/server/auth/identities';
import { invalidateSession, validateSession } from '../../src/lib/server/auth/session';
import { login } from '../../src/lib/server/auth/auth.service';
import { linkProvider, signInWithProvider } from '../../src/lib/server/commands/sign-in-with-provider';
import { inviteMember, listMembers, findInvitation } from '../../src/lib/server/members/members.service';
import { addJoinDomain, listJoinDomains, removeJoinDomain } from '../../src/lib/server/members/sso';
import { disableAccount, COMMAND_LINE } from '../../src/lib/server/installation/installation.service';
import type { LabSummary } from '../../src/lib/server/labs/labs.service';

const ORIGIN = 'http://labo.test';
const CALLBACK = `${ORIGIN}/auth/oidc/callback`;
const ENV_KEYS = [
	'ORIGIN',
	'OIDC_ISSUER',
	'OIDC_CLIENT_ID',
	'OIDC_CLIENT_SECRET',
	'OIDC_SCOPES',
	'OIDC_LABEL',
	'OIDC_ACR_VALUES',
	'OIDC_TRUST_EMAIL',
	'PASSWORD_LOGIN'
];

function setEnv(values: Record<string, string | undefined>): void {
	for (const [k, v] of Object.entries(values)) {
		if (v === undefined) delete process.env[k];
		else process.env[k] = v;
	}
	resetEnvForTests();
	resetOidcForTests();
}

describeEachDialect('single sign-on (OpenID Connect)', (getDb) => {
	let op: TestOp;
	let lab: LabSummary;
	let coord: Awaited<ReturnType<typeof makeMember>>;
	const saved: Record<string, string | undefined> = {};
	let baseEnv: Record<string, string>;

	beforeAll(async () => {
		for (const k of ENV_KEYS) saved[k] = process.env[k];
		op = await startTestOp({ redirectUris: [CALLBACK], postLogoutRedirectUris: [`${ORIGIN}/login?bye`] });
		baseEnv = {
			ORIGIN,
			OIDC_ISSUER: op.issuer,
			OIDC_CLIENT_ID: op.clientId,
			OIDC_CLIENT_SECRET: op.clientSecret,
			OIDC_SCOPES: 'openid email given_name usual_name uid siret',
			OIDC_LABEL: 'ProConnect'
		};
		lab = await makeLab(getDb());
		coord = await makeMember(getDb(), lab, 'coordinator');
	});
	beforeEach(() => {
		setEnv({ ...baseEnv, OIDC_ACR_VALUES: undefined, OIDC_TRUST_EMAIL: undefined, PASSWORD_LOGIN: undefined });
		op.acr = 'eidas1';
		op.idTokenTtl = 600;
		op.foreignKeys = false;
	});
	afterAll(async () => {
		await op.close();
		setEnv(saved);
	});

	/** An account at the provider; returns its login. */
	function opAccount(claims: OpAccount = {}): { login: string; email: string } {
		const login = `agent-${uid()}`;
		const email = claims.email ?? `${login}@ville.test`;
		op.accounts.set(login, { email, email_verified: true, given_name: 'Camille', usual_name: 'Martin', siret: '21690123100011', uid: '4242', ...claims });
		return { login, email };
	}

	/** Goes to the provider, signs in there, and comes back with the callback URL. */
	async function throughProvider(loginName: string, purpose: 'signin' | 'link' = 'signin', accountId?: string) {
		const s = oidcSettings()!;
		const { url, flow } = await beginOidc(s, { purpose, next: null, accountId });
		const authUrl = new URL(url);
		expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
		expect(authUrl.searchParams.get('state')).toBe(flow.state);
		expect(authUrl.searchParams.get('nonce')).toBe(flow.nonce);
		const callback = await signInAtOp(url, loginName, s.redirectUri);
		return { s, flow, callback };
	}

	async function signIn(loginName: string) {
		const { s, flow, callback } = await throughProvider(loginName);
		const identity = await completeOidc(s, flow, callback);
		return { identity, result: await signInWithProvider(getDb(), identity) };
	}

	it('an invited person signs in at the provider and lands in the lab, with the name and claims it sent', async () => {
		const { login: who, email } = opAccount();
		const { token } = await inviteMember(getDb(), coord.ctx, { email, name: 'Invitée', role: 'resident', origin: ORIGIN });
		const { identity, result } = await signIn(who);
		// siret and uid only travel in the signed userinfo (scopes, not ID token claims).
		expect(identity).toMatchObject({ email, emailVerified: true, name: 'Camille Martin', siret: '21690123100011', uid: '4242' });
		expect(result).toMatchObject({ created: true, joined: [lab.id] });
		const session = await validateSession(getDb(), result.session.token);
		expect(session?.user).toMatchObject({ email, name: 'Camille Martin' });
		const members = await listMembers(getDb(), coord.ctx, { q: email });
		expect(members.rows).toEqual([expect.objectContaining({ email, role: 'resident' })]);
		await expect(findInvitation(getDb(), token)).rejects.toMatchObject({ code: 'invitation.used' });
		// The account has no password: local sign-in with any password fails.
		await expect(login(getDb(), { email, password: 'anything-at-all', ip: '198.51.100.7' })).rejects.toMatchObject({ code: 'auth.invalidCredentials' });
		// Next time, the same identity signs into the same account.
		const again = await signIn(who);
		expect(again.result).toMatchObject({ accountId: result.accountId, created: false, joined: [] });
		expect(await identitiesOf(getDb(), result.accountId)).toHaveLength(1);
	});

	it('a verified e-mail signs into the existing account with that e-mail and links it', async () => {
		const member = await makeMember(getDb(), lab, 'referent');
		const { login: who } = opAccount({ email: member.email.toUpperCase() });
		const { result } = await signIn(who);
		expect(result).toMatchObject({ accountId: member.accountId, created: false });
		expect((await identitiesOf(getDb(), member.accountId)).map((i) => i.issuer)).toEqual([op.issuer]);
	});

	it('nobody joins without an invitation: nothing is created', async () => {
		const { login: who, email } = opAccount();
		const { s, flow, callback } = await throughProvider(who);
		const identity = await completeOidc(s, flow, callback);
		await expect(signInWithProvider(getDb(), identity)).rejects.toMatchObject({ code: 'sso.noInvitation', status: 403, params: { email } });
		expect(await accountByEmail(getDb(), email)).toBeNull();
	});

	it('a domain the coordinator allows joins with the chosen role; coordinator cannot be granted', async () => {
		const domain = `agglo-${uid()}.test`;
		await expect(addJoinDomain(getDb(), coord.ctx, { domain, role: 'coordinator' })).rejects.toMatchObject({ code: 'sso.joinRoleInvalid' });
		await expect(addJoinDomain(getDb(), coord.ctx, { domain: 'not a domain', role: 'partner' })).rejects.toMatchObject({ code: 'sso.domainInvalid' });
		const resident = await makeMember(getDb(), lab, 'resident');
		await expect(addJoinDomain(getDb(), resident.ctx, { domain, role: 'partner' })).rejects.toMatchObject({ status: 403 });
		await addJoinDomain(getDb(), coord.ctx, { domain: `@${domain.toUpperCase()}`, role: 'sponsor' });
		const [rule] = (await listJoinDomains(getDb(), coord.ctx)).filter((d) => d.domain === domain);
		expect(rule).toMatchObject({ domain, role: 'sponsor' });
		const { login: who, email } = opAccount({ email: `elu-${uid()}@${domain}` });
		const { result } = await signIn(who);
		expect(result).toMatchObject({ created: true, joined: [lab.id] });
		expect((await listMembers(getDb(), coord.ctx, { q: email })).rows).toEqual([expect.objectContaining({ role: 'sponsor' })]);
		await removeJoinDomain(getDb(), coord.ctx, rule!.id);
		const { login: late } = opAccount({ email: `late-${uid()}@${domain}` });
		await expect(signIn(late)).rejects.toMatchObject({ code: 'sso.noInvitation' });
	});

	it('an e-mail the provider has not verified is refused, unless the installation trusts the provider', async () => {
		const { login: who, email } = opAccount({ email_verified: false });
		await inviteMember(getDb(), coord.ctx, { email, name: 'Non vérifiée', role: 'partner', origin: ORIGIN });
		await expect(signIn(who)).rejects.toMatchObject({ code: 'sso.emailNotVerified', status: 403 });
		expect(await accountByEmail(getDb(), email)).toBeNull();
		setEnv({ OIDC_TRUST_EMAIL: 'true' });
		const { result } = await signIn(who);
		expect(result.joined).toEqual([lab.id]);
	});

	it('a disabled account is refused', async () => {
		const member = await makeMember(getDb(), lab, 'partner');
		await disableAccount(getDb(), COMMAND_LINE, { email: member.email });
		const { login: who } = opAccount({ email: member.email });
		await expect(signIn(who)).rejects.toMatchObject({ code: 'auth.accountDisabled' });
	});

	it('refuses a wrong state, and a callback without its flow', async () => {
		const { login: who } = opAccount();
		const { s, flow, callback } = await throughProvider(who);
		const forged = new URL(callback);
		forged.searchParams.set('state', 'someone-elses-state');
		await expect(completeOidc(s, flow, forged)).rejects.toMatchObject({ code: 'sso.stateMismatch' });
		await expect(completeOidc(s, null, callback)).rejects.toMatchObject({ code: 'sso.noFlow' });
	});

	it('refuses a replayed code', async () => {
		const { login: who } = opAccount();
		const { s, flow, callback } = await throughProvider(who);
		await completeOidc(s, flow, callback);
		await expect(completeOidc(s, flow, callback)).rejects.toMatchObject({ code: 'sso.codeRejected' });
	});

	it('refuses an ID token whose nonce is not the flow’s', async () => {
		const { login: who } = opAccount();
		const { s, flow, callback } = await throughProvider(who);
		await expect(completeOidc(s, { ...flow, nonce: 'another-nonce-value-0123456789' }, callback)).rejects.toMatchObject({ code: 'sso.nonceMismatch' });
	});

	it('refuses an expired ID token', async () => {
		const { login: who } = opAccount();
		op.idTokenTtl = -300;
		const { s, flow, callback } = await throughProvider(who);
		await expect(completeOidc(s, flow, callback)).rejects.toMatchObject({ code: 'sso.tokenExpired' });
	});

	it('refuses a token signed with a key the provider does not publish', async () => {
		const { login: who } = opAccount();
		op.foreignKeys = true;
		const { s, flow, callback } = await throughProvider(who);
		await expect(completeOidc(s, flow, callback)).rejects.toMatchObject({ code: 'sso.badSignature' });
	});

	it('checks acr when OIDC_ACR_VALUES is set, and asks the provider for it', async () => {
		setEnv({ OIDC_ACR_VALUES: 'eidas2 eidas3' });
		const { login: who } = opAccount();
		const weak = await throughProvider(who);
		await expect(completeOidc(weak.s, weak.flow, weak.callback)).rejects.toMatchObject({ code: 'sso.acrRefused' });
		op.acr = 'eidas2';
		const strong = await throughProvider(who);
		expect((await completeOidc(strong.s, strong.flow, strong.callback)).acr).toBe('eidas2');
		const s = oidcSettings()!;
		const { url } = await beginOidc(s, { purpose: 'signin', next: null });
		expect(new URL(url).searchParams.get('acr_values')).toBe('eidas2 eidas3');
	});

	it('when the provider is down, starting says so and local sign-in still works', async () => {
		const member = await makeMember(getDb(), lab, 'partner');
		setEnv({ OIDC_ISSUER: 'http://127.0.0.1:9' });
		await expect(beginOidc(oidcSettings()!, { purpose: 'signin', next: null })).rejects.toMatchObject({ code: 'sso.unavailable', status: 503 });
		expect(passwordLoginEnabled()).toBe(true);
		const s = await login(getDb(), { email: member.email, password: FACTORY_PASSWORD, ip: '198.51.100.9' });
		expect(await validateSession(getDb(), s.token)).not.toBeNull();
	});

	it('logout ends the provider session too: the session keeps the ID token for id_token_hint', async () => {
		const { login: who, email } = opAccount();
		await inviteMember(getDb(), coord.ctx, { email, name: 'x', role: 'partner', origin: ORIGIN });
		const { identity, result } = await signIn(who);
		const hint = await providerSessionHint(getDb(), result.session.token);
		expect(hint).toBe(identity.idToken);
		const url = new URL((await endSessionUrl(oidcSettings()!, hint!))!);
		expect(url.origin + url.pathname).toBe(`${op.issuer}/session/end`);
		expect(url.searchParams.get('id_token_hint')).toBe(identity.idToken);
		expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${ORIGIN}/login?bye`);
		// The provider accepts the hint (it goes on to its confirmation step), and refuses a forged one.
		const res = await fetch(url);
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('/session/end/confirm');
		const forged = new URL(url);
		forged.searchParams.set('id_token_hint', `${hint!.slice(0, -4)}AAAA`);
		expect((await fetch(forged)).status).toBe(400);
		await invalidateSession(getDb(), result.session.token);
		expect(await providerSessionHint(getDb(), result.session.token)).toBeNull();
	});

	it('links and unlinks the provider from the profile; an identity belongs to one account', async () => {
		const member = await makeMember(getDb(), lab, 'resident');
		const { login: who } = opAccount({ email: `other-${uid()}@ville.test` });
		const { s, flow, callback } = await throughProvider(who, 'link', member.accountId);
		expect(flow.purpose).toBe('link');
		const identity = await completeOidc(s, flow, callback);
		await linkProvider(getDb(), member.accountId, identity);
		const [linked] = await identitiesOf(getDb(), member.accountId);
		expect(linked).toMatchObject({ issuer: op.issuer });
		const other = await makeMember(getDb(), lab, 'resident');
		await expect(linkProvider(getDb(), other.accountId, identity)).rejects.toMatchObject({ code: 'sso.identityTaken' });
		// Signing in with the linked identity opens the member's account, whatever its e-mail.
		expect((await signIn(who)).result.accountId).toBe(member.accountId);
		await unlinkIdentity(getDb(), member.accountId, linked!.id);
		await expect(unlinkIdentity(getDb(), member.accountId, linked!.id)).rejects.toMatchObject({ code: 'sso.notLinked' });
		expect(await identitiesOf(getDb(), member.accountId)).toEqual([]);
	});
});

it('the flow cookie cannot be read, altered or kept past its time', () => {
	const flow: OidcFlow = { state: 's', nonce: 'n', verifier: 'v', purpose: 'signin', next: '/l/x', accountId: null, expiresAt: Date.now() + 60_000 };
	const sealed = sealFlow(flow);
	expect(sealed).not.toContain('/l/x');
	expect(openFlow(sealed)).toEqual(flow);
	const raw = Buffer.from(sealed, 'base64url');
	raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
	expect(openFlow(raw.toString('base64url'))).toBeNull();
	expect(openFlow(sealFlow({ ...flow, expiresAt: Date.now() - 1 }))).toBeNull();
	expect(openFlow('garbage')).toBeNull();
});

it('password sign-in can only be turned off with a provider configured', () => {
	const before = { i: process.env.OIDC_ISSUER, p: process.env.PASSWORD_LOGIN };
	try {
		delete process.env.OIDC_ISSUER;
		process.env.PASSWORD_LOGIN = 'off';
		resetEnvForTests();
		expect(() => oidcSettings()).toThrow(ConfigError);
	} finally {
		if (before.i === undefined) delete process.env.OIDC_ISSUER;
		else process.env.OIDC_ISSUER = before.i;
		if (before.p === undefined) delete process.env.PASSWORD_LOGIN;
		else process.env.PASSWORD_LOGIN = before.p;
		resetEnvForTests();
	}
});

it('production refuses incomplete or plain-http single sign-on settings', async () => {
	const { checkProductionEnv, StartError } = await import('../../src/cli/production');
	const keys = ['ORIGIN', 'OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'PASSWORD_LOGIN'] as const;
	const before = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
	const run = (values: Partial<Record<(typeof keys)[number], string>>) => {
		for (const k of keys) delete process.env[k];
		Object.assign(process.env, { ORIGIN: 'https://labo.region.fr', ...values });
		resetEnvForTests();
		return () => checkProductionEnv();
	};
	try {
		expect(run({ OIDC_ISSUER: 'https://idp.example.fr/realms/labo' })).toThrow(/OIDC_CLIENT_ID/);
		expect(run({ OIDC_ISSUER: 'http://idp.example.fr', OIDC_CLIENT_ID: 'labo', OIDC_CLIENT_SECRET: 's' })).toThrow(StartError);
		expect(run({ PASSWORD_LOGIN: 'off' })).toThrow(/PASSWORD_LOGIN/);
		expect(run({ OIDC_ISSUER: 'https://idp.example.fr', OIDC_CLIENT_ID: 'labo', OIDC_CLIENT_SECRET: 's', PASSWORD_LOGIN: 'off' })().host).toBe(
			'labo.region.fr'
		);
	} finally {
		for (const k of keys) {
			if (before[k] === undefined) delete process.env[k];
			else process.env[k] = before[k];
		}
		resetEnvForTests();
	}
});
