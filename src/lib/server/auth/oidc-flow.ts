/**
 * The transient state of one single sign-on flow (state, nonce, PKCE verifier, return path,
 * purpose), sealed into a cookie with AES-256-GCM under a key derived from the installation
 * secret, which every server of the installation shares: whichever server receives the callback
 * can open it, nobody else can read or forge it. It lives 10 minutes and is cleared by the
 * callback, whatever the outcome.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import * as client from 'openid-client';
import { installationSecret } from '../secret';

export interface OidcFlow {
	state: string;
	nonce: string;
	verifier: string;
	purpose: 'signin' | 'link';
	next: string | null;
	/** For `link`: the signed-in account that started it. */
	accountId: string | null;
	/** Milliseconds since the epoch after which the flow is void. */
	expiresAt: number;
}

export const FLOW_TTL_MS = 10 * 60 * 1000;

export function newFlow(input: Pick<OidcFlow, 'purpose' | 'next' | 'accountId'>): OidcFlow {
	return {
		state: client.randomState(),
		nonce: client.randomNonce(),
		verifier: client.randomPKCECodeVerifier(),
		...input,
		expiresAt: Date.now() + FLOW_TTL_MS
	};
}

const key = (): Buffer => createHmac('sha256', installationSecret()).update('labo-oidc-flow').digest();

export function sealFlow(flow: OidcFlow): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', key(), iv);
	const body = Buffer.concat([cipher.update(JSON.stringify(flow), 'utf8'), cipher.final()]);
	return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The flow in a sealed value, or null if it was tampered with, is not ours or has expired. */
export function openFlow(sealed: string | undefined | null): OidcFlow | null {
	if (!sealed) return null;
	try {
		const raw = Buffer.from(sealed, 'base64url');
		if (raw.length < 29) return null;
		const decipher = createDecipheriv('aes-256-gcm', key(), raw.subarray(0, 12));
		decipher.setAuthTag(raw.subarray(12, 28));
		const flow = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as OidcFlow;
		if (typeof flow.expiresAt !== 'number' || flow.expiresAt <= Date.now()) return null;
		return flow;
	} catch {
		return null;
	}
}

const isHttps = (url: URL): boolean => url.protocol === 'https:';
/** `__Host-` over https, as the session cookie (src/lib/server/cookies.ts). */
export const flowCookieName = (url: URL): string => (isHttps(url) ? '__Host-labo_oidc' : 'labo_oidc');

/** SameSite=Lax: the provider sends the browser back with a top-level GET, which carries it. */
export function setFlowCookie(cookies: Cookies, url: URL, flow: OidcFlow): void {
	cookies.set(flowCookieName(url), sealFlow(flow), {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: isHttps(url),
		maxAge: FLOW_TTL_MS / 1000
	});
}

export function takeFlowCookie(cookies: Cookies, url: URL): OidcFlow | null {
	const flow = openFlow(cookies.get(flowCookieName(url)));
	cookies.delete(flowCookieName(url), { path: '/', httpOnly: true, sameSite: 'lax', secure: isHttps(url) });
	return flow;
}

/**
 * The provider's logout URL, carried for one page: the site's CSP (`form-action 'self'`) stops a
 * logout form's redirect to another origin, so /logout goes to /auth/oidc/logout, which sends
 * the browser on. Only a URL on the issuer's origin is followed.
 */
const logoutCookieName = (url: URL): string => (isHttps(url) ? '__Host-labo_oidc_logout' : 'labo_oidc_logout');

export function setLogoutCookie(cookies: Cookies, url: URL, target: string): void {
	cookies.set(logoutCookieName(url), target, { path: '/', httpOnly: true, sameSite: 'lax', secure: isHttps(url), maxAge: 120 });
}

export function takeLogoutCookie(cookies: Cookies, url: URL, issuer: string): string | null {
	const v = cookies.get(logoutCookieName(url));
	cookies.delete(logoutCookieName(url), { path: '/', httpOnly: true, sameSite: 'lax', secure: isHttps(url) });
	if (!v) return null;
	try {
		return new URL(v).origin === new URL(issuer).origin ? v : null;
	} catch {
		return null;
	}
}
