/**
 * Single sign-on with an OpenID Provider (docs/decisions/016-single-sign-on.md): the protocol
 * half. Authorization code flow with PKCE, `state` and `nonce`; the ID token and a signed
 * (`application/jwt`) userinfo are verified against the provider's keys; `acr` is checked when
 * OIDC_ACR_VALUES is set; RP-initiated logout with `id_token_hint`.
 *
 * The flow's transient state (state, nonce, PKCE verifier, return path, purpose) travels in a
 * short-lived encrypted cookie (oidc-flow.ts), never in process memory: the callback may reach
 * another server than the one that started the flow. What is cached here per process is only the
 * provider's discovery document and keys, which every server can fetch again.
 */
import * as client from 'openid-client';
import { ConfigError, env, publicOrigin } from '../env';
import { DomainError } from '../errors';
import { log } from '../log';
import type { MessageKey } from '$lib/i18n';
import { newFlow, type OidcFlow } from './oidc-flow';

export interface OidcSettings {
	issuer: string;
	clientId: string;
	clientSecret: string;
	scopes: string;
	label: string;
	acrValues: string[];
	trustEmail: boolean;
	redirectUri: string;
	postLogoutRedirectUri: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The configured provider, or null when single sign-on is off. Incomplete settings are refused. */
export function oidcSettings(): OidcSettings | null {
	const e = env();
	if (!e.OIDC_ISSUER) {
		if (e.PASSWORD_LOGIN === 'off')
			throw new ConfigError(
				'PASSWORD_LOGIN=off sans OIDC_ISSUER : personne ne pourrait se connecter / PASSWORD_LOGIN=off without OIDC_ISSUER: nobody could sign in'
			);
		return null;
	}
	if (!e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET)
		throw new ConfigError('OIDC_ISSUER demande OIDC_CLIENT_ID et OIDC_CLIENT_SECRET / OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
	const issuer = new URL(e.OIDC_ISSUER);
	if (issuer.protocol !== 'https:' && !LOOPBACK.has(issuer.hostname))
		throw new ConfigError(`OIDC_ISSUER doit commencer par https:// / OIDC_ISSUER must start with https:// (${e.OIDC_ISSUER})`);
	const scopes = e.OIDC_SCOPES.split(/\s+/).filter(Boolean);
	if (!scopes.includes('openid')) scopes.unshift('openid');
	const origin = publicOrigin();
	return {
		issuer: e.OIDC_ISSUER,
		clientId: e.OIDC_CLIENT_ID,
		clientSecret: e.OIDC_CLIENT_SECRET,
		scopes: scopes.join(' '),
		label: e.OIDC_LABEL,
		acrValues: (e.OIDC_ACR_VALUES ?? '').split(/\s+/).filter(Boolean),
		trustEmail: e.OIDC_TRUST_EMAIL === 'true',
		redirectUri: `${origin}/auth/oidc/callback`,
		postLogoutRedirectUri: `${origin}/login?bye`
	};
}

/** Whether e-mail + password sign-in is offered (PASSWORD_LOGIN, only `off` with a provider). */
export function passwordLoginEnabled(): boolean {
	return env().PASSWORD_LOGIN !== 'off' || oidcSettings() === null;
}

/** What the login page needs to know: the button's text, or null without a provider. */
export function oidcButton(): { label: string } | null {
	const s = oidcSettings();
	return s ? { label: s.label } : null;
}

const CACHE_MS = 10 * 60 * 1000;
let cached: { key: string; config: client.Configuration; at: number } | null = null;

/** Forgets the discovered provider (tests that restart it, or change its keys). */
export function resetOidcForTests(): void {
	cached = null;
}

/** Discovers the provider (cached 10 minutes per process); a provider that does not answer is `sso.unavailable`. */
async function configuration(s: OidcSettings): Promise<client.Configuration> {
	const key = `${s.issuer}\0${s.clientId}`;
	if (cached && cached.key === key && Date.now() - cached.at < CACHE_MS) return cached.config;
	const insecure = new URL(s.issuer).protocol === 'http:';
	let config: client.Configuration;
	try {
		config = await client.discovery(new URL(s.issuer), s.clientId, { client_secret: s.clientSecret }, client.ClientSecretPost(s.clientSecret), {
			execute: insecure ? [client.allowInsecureRequests] : [],
			timeout: 5
		});
	} catch (err) {
		log.warn('oidc.discovery_failed', { issuer: s.issuer, error: err instanceof Error ? err.message : String(err) });
		throw new DomainError('sso.unavailable', 503);
	}
	// Verify every ID token's and signed userinfo's signature against the provider's keys, even
	// though both come straight from the provider over TLS.
	client.enableNonRepudiationChecks(config);
	cached = { key, config, at: Date.now() };
	return config;
}

/** Starts a sign-in (or a link from the profile): the provider's URL and the flow to keep in the cookie. */
export async function beginOidc(
	s: OidcSettings,
	input: { purpose: 'signin' | 'link'; next: string | null; accountId?: string }
): Promise<{ url: string; flow: OidcFlow }> {
	const config = await configuration(s);
	const flow = newFlow({ purpose: input.purpose, next: input.next, accountId: input.accountId ?? null });
	const params: Record<string, string> = {
		redirect_uri: s.redirectUri,
		scope: s.scopes,
		response_type: 'code',
		code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
		code_challenge_method: 'S256',
		state: flow.state,
		nonce: flow.nonce
	};
	if (s.acrValues.length) params.acr_values = s.acrValues.join(' ');
	return { url: client.buildAuthorizationUrl(config, params).href, flow };
}

/** Who the provider says signed in, from the verified ID token and userinfo. */
export interface ProviderIdentity {
	issuer: string;
	subject: string;
	email: string | null;
	emailVerified: boolean;
	name: string | null;
	siret: string | null;
	uid: string | null;
	acr: string | null;
	idToken: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** The display name from ProConnect's `given_name` + `usual_name`, or the standard claims. */
function displayName(c: Record<string, unknown>): string | null {
	const given = str(c.given_name);
	const family = str(c.usual_name) ?? str(c.family_name);
	const both = [given, family].filter(Boolean).join(' ');
	return both || str(c.name);
}

/**
 * Completes the flow at the callback: checks `state` against the cookie's, exchanges the code
 * (with the PKCE verifier), verifies the ID token (signature, issuer, audience, expiry, nonce),
 * checks `acr`, then fetches userinfo (a signed JWT is verified too; its `sub` must match).
 * Every failure is a DomainError whose code explains it.
 */
export async function completeOidc(s: OidcSettings, flow: OidcFlow | null, callbackUrl: URL): Promise<ProviderIdentity> {
	if (!flow) throw new DomainError('sso.noFlow', 400);
	const error = callbackUrl.searchParams.get('error');
	if (callbackUrl.searchParams.get('state') !== flow.state) throw new DomainError('sso.stateMismatch', 400);
	if (error) throw new DomainError(error === 'access_denied' ? 'sso.denied' : 'sso.providerError', 400);
	const config = await configuration(s);
	// The callback URL as the provider was told it (behind a proxy, the request's own may differ).
	const current = new URL(s.redirectUri);
	current.search = callbackUrl.search;
	let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
	try {
		tokens = await client.authorizationCodeGrant(config, current, {
			pkceCodeVerifier: flow.verifier,
			expectedState: flow.state,
			expectedNonce: flow.nonce,
			idTokenExpected: true
		});
	} catch (err) {
		throw classify(err, 'token');
	}
	const claims = tokens.claims();
	if (!claims || !tokens.id_token) throw new DomainError('sso.badToken', 400);
	const acr = str(claims.acr);
	if (s.acrValues.length && (!acr || !s.acrValues.includes(acr))) throw new DomainError('sso.acrRefused', 403);
	let info: Record<string, unknown>;
	try {
		info = (await client.fetchUserInfo(config, tokens.access_token, claims.sub)) as Record<string, unknown>;
	} catch (err) {
		throw classify(err, 'userinfo');
	}
	const all = { ...claims, ...info } as Record<string, unknown>;
	const email = str(all.email)?.toLowerCase() ?? null;
	return {
		issuer: config.serverMetadata().issuer,
		subject: claims.sub,
		email,
		emailVerified: Boolean(email) && (all.email_verified === true || all.email_verified === 'true' || s.trustEmail),
		name: displayName(all),
		siret: str(all.siret),
		uid: str(all.uid) ?? (typeof all.uid === 'number' ? String(all.uid) : null),
		acr,
		idToken: tokens.id_token
	};
}

/** Maps openid-client's errors to explanations a person can read. */
function classify(err: unknown, step: 'token' | 'userinfo'): DomainError {
	if (err instanceof DomainError) return err;
	const e = err as { code?: string; error?: string; message?: string; cause?: unknown; name?: string };
	// openid-client wraps oauth4webapi's error, whose own `cause` names the claim at fault.
	const inner = (e.cause ?? {}) as { message?: string; cause?: unknown };
	const cause = (inner.cause ?? e.cause ?? {}) as { claim?: string };
	const messages = `${e.message ?? ''} ${inner.message ?? ''}`;
	let code: MessageKey = 'sso.failed';
	if (e instanceof client.ResponseBodyError && e.error === 'invalid_grant') code = 'sso.codeRejected';
	else if (e.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') code = 'sso.tokenExpired';
	else if (e.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && cause.claim === 'nonce') code = 'sso.nonceMismatch';
	else if (e.code === 'OAUTH_KEY_SELECTION_FAILED' || /signature/i.test(messages)) code = 'sso.badSignature';
	else if (e.code === 'OAUTH_JWT_USERINFO_EXPECTED' || e.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED') code = 'sso.badToken';
	else if (e.name === 'TypeError' || e.name === 'AbortError' || e.name === 'TimeoutError' || /fetch failed/i.test(messages)) code = 'sso.unavailable';
	log.warn('oidc.callback_failed', { step, code, error: e.message, oauthCode: e.code, oauthError: e.error, detail: inner.message });
	return new DomainError(code, code === 'sso.unavailable' ? 503 : 400);
}

/** The provider's logout URL for a session opened through it (RP-initiated logout), or null. */
export async function endSessionUrl(s: OidcSettings, idToken: string): Promise<string | null> {
	try {
		const config = await configuration(s);
		if (!config.serverMetadata().end_session_endpoint) return null;
		return client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: s.postLogoutRedirectUri, state: client.randomState() }).href;
	} catch {
		// The provider is down: Labo's own session is closed anyway.
		return null;
	}
}
