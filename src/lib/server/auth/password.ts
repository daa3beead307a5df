import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (pw: string, salt: Buffer, len: number, opts: ScryptOptions) =>
	new Promise<Buffer>((resolve, reject) =>
		scryptCb(pw, salt, len, opts, (err, key) => (err ? reject(err) : resolve(key)))
	);

// scrypt with N=2^15, r=8, p=1 (OWASP's minimum is 2^17 with p=1 at 32 MiB; we use 2^15 with
// maxmem raised so a login stays under ~100 ms on a 2-core server).
const N = 32768;
const R = 8;
const P = 1;
const KEYLEN = 32;
const MAXMEM = 64 * 1024 * 1024;

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64). */
export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await scrypt(password.normalize('NFKC'), salt, KEYLEN, { N, r: R, p: P, maxmem: MAXMEM });
	return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const parts = stored.split('$');
	if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
	const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
	const expected = Buffer.from(keyB64, 'base64');
	const key = await scrypt(password.normalize('NFKC'), Buffer.from(saltB64, 'base64'), expected.length, {
		N: Number(n),
		r: Number(r),
		p: Number(p),
		maxmem: MAXMEM
	});
	return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash that matches no password, so unknown e-mails cost the same time as known ones. */
export const DUMMY_HASH =
	'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
