import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { DomainError } from '../errors';

const scrypt = (pw: string, salt: Buffer, len: number, opts: ScryptOptions) =>
	new Promise<Buffer>((resolve, reject) => scryptCb(pw, salt, len, opts, (err, key) => (err ? reject(err) : resolve(key))));

// scrypt at OWASP's current parameters: N=2^17, r=8, p=1 (128 MiB and a few hundred
// milliseconds per hash). Hashes made with other parameters (N=2^15 before) still verify and
// are rehashed at the next successful login (see needsRehash).
const N = 131072;
const R = 8;
const P = 1;
const KEYLEN = 32;
// scrypt needs 128·N·r bytes; Node refuses above maxmem.
const MAXMEM = 256 * 1024 * 1024;

/**
 * At most `concurrency` hashes run at once, `queue` more wait; past that, refuse at once
 * (each hash holds 128 MiB and a thread of libuv's small pool).
 */
export class Semaphore {
	private running = 0;
	private readonly waiting: Array<() => void> = [];
	constructor(
		public concurrency: number,
		public queue: number
	) {}

	/** Resolves to a release function once a slot is free; rejects with `auth.busy` when the queue is full. */
	acquire(): Promise<() => void> {
		if (this.running < this.concurrency) {
			this.running++;
			return Promise.resolve(this.releaser());
		}
		if (this.waiting.length >= this.queue) return Promise.reject(new DomainError('auth.busy', 503));
		return new Promise((resolve) => this.waiting.push(() => resolve(this.releaser())));
	}

	private releaser(): () => void {
		let done = false;
		return () => {
			if (done) return;
			done = true;
			const next = this.waiting.shift();
			if (next)
				next(); // the slot passes to the next one waiting
			else this.running--;
		};
	}
}

export const hashing = new Semaphore(2, 16);

/** How many scrypt computations were started (tests check that refused logins compute none). */
export const hashStats = { count: 0 };

async function limitedScrypt(password: string, salt: Buffer, len: number, opts: ScryptOptions): Promise<Buffer> {
	const release = await hashing.acquire();
	try {
		hashStats.count++;
		return await scrypt(password.normalize('NFKC'), salt, len, opts);
	} finally {
		release();
	}
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64). */
export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await limitedScrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: MAXMEM });
	return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

interface Parsed {
	n: number;
	r: number;
	p: number;
	salt: Buffer;
	key: Buffer;
}

function parse(stored: string): Parsed | null {
	const parts = stored.split('$');
	if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
	const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
	const parsed = { n: Number(n), r: Number(r), p: Number(p), salt: Buffer.from(saltB64, 'base64'), key: Buffer.from(keyB64, 'base64') };
	// Only parameters this code could have written: a power of two up to 2^20, small r and p.
	const powerOfTwo = Number.isInteger(parsed.n) && parsed.n >= 2 && parsed.n <= 2 ** 20 && (parsed.n & (parsed.n - 1)) === 0;
	if (!powerOfTwo || !Number.isInteger(parsed.r) || parsed.r < 1 || parsed.r > 32 || !Number.isInteger(parsed.p) || parsed.p < 1 || parsed.p > 16) return null;
	if (parsed.key.length < 16) return null;
	return parsed;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const h = parse(stored);
	if (!h) return false;
	const key = await limitedScrypt(password, h.salt, h.key.length, { N: h.n, r: h.r, p: h.p, maxmem: MAXMEM });
	return key.length === h.key.length && timingSafeEqual(key, h.key);
}

/** True when a stored hash was made with other parameters than today's (to rehash after a login). */
export function needsRehash(stored: string): boolean {
	const h = parse(stored);
	return !h || h.n !== N || h.r !== R || h.p !== P || h.key.length !== KEYLEN;
}

/** A hash that matches no password, so unknown e-mails cost the same time as known ones. */
export const DUMMY_HASH = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
