/**
 * Commenters' keys: e-mail addresses are never stored, only their HMAC-SHA256 keyed with the
 * installation's secret; IP addresses count against limits only as keyed hashes of their group.
 */
import { createHmac } from 'node:crypto';
import { installationSecret, resetInstallationSecretForTests } from '../../secret';

/**
 * The key of every HMAC here (e-mail hashes, IP keys, erasure links): the installation's secret
 * (`$lib/server/secret`). Changing or losing it makes known commenters new again and leaves old
 * comments findable by erasure only through a coordinator (by post and name).
 */
export const journalSecret = (): Buffer => installationSecret();

/** For tests that change LABO_SECRET. */
export function resetJournalSecretForTests(): void {
	resetInstallationSecretForTests();
}

export const hmac = (purpose: string, value: string): Buffer => createHmac('sha256', journalSecret()).update(`${purpose}\0${value}`).digest();

/** What a comment stores instead of the address (also for importers of old comments). */
export const emailHash = (email: string): string => hmac('email', email.trim().toLowerCase()).toString('hex');

export const ipKey = (prefix: string, ip: string) => `${prefix}:${hmac('ip', addressGroup(ip)).toString('hex').slice(0, 32)}`;
export const emailKey = (prefix: string, hash: string) => `${prefix}:${hash.slice(0, 32)}`;

/**
 * The network a client address counts for: an IPv4 address itself (also when written as
 * IPv4-mapped IPv6), an IPv6 address's /64 prefix.
 */
export function addressGroup(ip: string): string {
	const a = ip
		.trim()
		.toLowerCase()
		.replace(/^\[|\]$/g, '')
		.replace(/%.*$/, '');
	const mapped = /^(?:[0:]*:)?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
	if (mapped) return mapped[1]!;
	if (!a.includes(':')) return a;
	const [head, tail] = a.includes('::') ? (a.split('::') as [string, string]) : [a, null];
	const left = head ? head.split(':') : [];
	const right = tail === null ? [] : tail ? tail.split(':') : [];
	// An embedded IPv4 tail counts as two groups; only the first four groups matter here.
	const fill = tail === null ? [] : Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
	const groups = [...left, ...fill, ...right].slice(0, 4).map((g) => (parseInt(g || '0', 16) || 0).toString(16));
	return `${groups.join(':')}::/64`;
}
