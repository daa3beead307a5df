import { safeLocalPath } from '$lib/shared/paths';
import type { Cookies } from '@sveltejs/kit';

const isHttps = (url: URL): boolean => url.protocol === 'https:';

/**
 * Over https a cookie is named `__Host-…`: the browser then only accepts it Secure, with
 * Path=/ and no Domain, so neither a subdomain nor a plain-http page can plant or shadow it.
 * Over plain http (the demo on localhost) the prefix cannot be used. Only the name matching
 * the request's protocol is read.
 */
const cookieName = (base: string, url: URL): string => (isHttps(url) ? `__Host-${base}` : base);

export const sessionCookieName = (url: URL): string => cookieName('labo_session', url);
export const deviceCookieName = (url: URL): string => cookieName('labo_device', url);

export function readSessionCookie(cookies: Cookies, url: URL): string | undefined {
	return cookies.get(sessionCookieName(url));
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expires: Date): void {
	cookies.set(sessionCookieName(url), token, { path: '/', httpOnly: true, sameSite: 'lax', secure: isHttps(url), expires });
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(sessionCookieName(url), { path: '/', httpOnly: true, sameSite: 'lax', secure: isHttps(url) });
}

/** The known-device token (only ever needed by same-site form posts, hence SameSite=Strict). */
export function readDeviceCookie(cookies: Cookies, url: URL): string | undefined {
	return cookies.get(deviceCookieName(url));
}

export function setDeviceCookie(cookies: Cookies, url: URL, token: string, expires: Date): void {
	cookies.set(deviceCookieName(url), token, { path: '/', httpOnly: true, sameSite: 'strict', secure: isHttps(url), expires });
}

/** Only same-site relative paths are followed after login. */
export const safeNext = (next: string | null | undefined): string | null => safeLocalPath(next);

/** The slug of the last lab a member viewed, so that login lands there when they have several. */
export const lastLabCookieName = (url: URL): string => cookieName('labo_last_lab', url);
const LAST_LAB_DAYS = 365;

export function readLastLabCookie(cookies: Cookies, url: URL): string | undefined {
	return cookies.get(lastLabCookieName(url));
}

export function setLastLabCookie(cookies: Cookies, url: URL, slug: string): void {
	if (readLastLabCookie(cookies, url) === slug) return;
	const expires = new Date(Date.now() + LAST_LAB_DAYS * 24 * 60 * 60 * 1000);
	cookies.set(lastLabCookieName(url), slug, { path: '/', httpOnly: true, sameSite: 'lax', secure: isHttps(url), expires });
}
