import { addressGroup } from '../ratelimit';
import { hashToken } from './tokens';

export const normaliseEmail = (e: string): string => e.trim().toLowerCase();

/** rate_limit keys hold digests, not e-mails or addresses. */
export const limitKey = (kind: string, value: string): string => `${kind}:${hashToken(value).slice(0, 40)}`;

/** The rate_limit keys a login attempt is counted under (per e-mail, per address group). */
export const loginLimitKeys = (email: string, ip: string) => ({
	account: limitKey('login-account', normaliseEmail(email)),
	address: limitKey('login-address', addressGroup(ip))
});
