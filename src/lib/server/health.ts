import { sql, type Kysely } from 'kysely';
import { timingSafeEqual, createHash } from 'node:crypto';
import { pendingMigrations } from './db';

export interface Readiness {
	ready: boolean;
	database: 'ok' | 'unreachable';
	pendingMigrations: string[];
	error?: string;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
		p.then(
			(v) => {
				clearTimeout(timer);
				resolve(v);
			},
			(e: unknown) => {
				clearTimeout(timer);
				reject(e instanceof Error ? e : new Error(String(e)));
			}
		);
	});
}

/**
 * Whether this server can take traffic: the database answers (within `timeoutMs`) and has run
 * every migration this code knows. A load balancer stops sending requests while it is false.
 */
export async function readiness(db: Kysely<any>, timeoutMs = 2000): Promise<Readiness> {
	try {
		await withTimeout(sql`select 1`.execute(db), timeoutMs);
		const pending = await withTimeout(pendingMigrations(db), timeoutMs);
		return { ready: pending.length === 0, database: 'ok', pendingMigrations: pending };
	} catch (e) {
		return { ready: false, database: 'unreachable', pendingMigrations: [], error: e instanceof Error ? e.message : String(e) };
	}
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** With a METRICS_TOKEN set, only `Authorization: Bearer <token>` may read the metrics. */
export function metricsAllowed(token: string | undefined, authorization: string | null): boolean {
	if (!token) return true;
	const m = /^Bearer (.+)$/.exec(authorization ?? '');
	return Boolean(m && timingSafeEqual(digest(m[1]!), digest(token)));
}
