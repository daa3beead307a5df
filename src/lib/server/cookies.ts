import { safeLocalPath } from '$lib/shared/paths';
import type { Cookies } from '@sveltejs/kit';
import { SESSION_COOKIE } from './auth/session';

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expires: Date): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		expires
	});
}

/** Only same-site relative paths are followed after login. */
export const safeNext = (next: string | null | undefined): string | null => safeLocalPath(next);
