/**
 * Durable jobs, kept in `import_job` (the imports were its first users; the table keeps its
 * name). A job goes ready → queued → running → done | failed:
 * - `ready`: checked and stored, waiting for the user's confirmation (nothing runs);
 * - `queued`: waiting for a worker, possibly not before `run_after` (backoff after a failure);
 * - `running`: claimed by the worker `claimed_by` until `lease_until`, which it renews while it
 *   works. A lease that lapsed means its server died: another worker claims the job again and
 *   the handler resumes from its last committed step (`done`, `result`);
 * - `done` / `failed`: the end; a failed job keeps its payload so it can be retried.
 * Every write made on a job's behalf checks `claimed_by`: a worker that lost its lease cannot
 * commit a step or finish the job (its transaction rolls back with `LeaseLostError`).
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, ImportJobTable } from '../db/schema';
import { inTransaction, nowIso } from '../db/util';
import { isPostgres, sqliteImmediate } from './claim';

export type JobRow = Selectable<ImportJobTable>;
export type JobState = 'ready' | 'queued' | 'running' | 'done' | 'failed';

/** Durations a deployment (or a test) may shorten. */
export interface LeaseOptions {
	/** How long a claim holds without renewal. */
	leaseMs: number;
	/** Wait before the next attempt after a failed one: `backoffMs * 2^(attempts-1)`. */
	backoffMs: number;
}
export const DEFAULT_LEASE: LeaseOptions = { leaseMs: 2 * 60_000, backoffMs: 30_000 };

/** Thrown by a write made for a job this worker no longer holds. */
export class LeaseLostError extends Error {
	constructor(jobId: string) {
		super(`job ${jobId}: lease lost`);
		this.name = 'LeaseLostError';
	}
}

/**
 * A failure the handler describes: `result` is what the coordinator's page shows (an `error`
 * catalog key and its params); a `permanent` one (a file that no longer checks) is not retried.
 */
export class JobError extends Error {
	constructor(
		message: string,
		readonly result: Record<string, unknown>,
		readonly permanent = false,
		readonly cause?: unknown
	) {
		super(message);
		this.name = 'JobError';
	}
}

const isoAfter = (ms: number) => new Date(Date.now() + ms).toISOString();

/** Wakes this server's worker as soon as a job is queued (others find it when they poll). */
let wake: (() => void) | null = null;
export function onJobQueued(fn: (() => void) | null): void {
	wake = fn;
}

/**
 * Queues a `ready` job (the "Importer" button). Returns false when it is not ready any more
 * (already queued, run, or unknown): the button was pressed twice. `origin` (the site's address,
 * for links in the mails the job sends) is kept as the payload's first line: see `jobPayload`.
 */
export async function queueJob(db: Kysely<Database>, job: { id: string; labId: string; kind: string; origin?: string }): Promise<boolean> {
	const r = await db
		.updateTable('import_job')
		.set({
			state: 'queued',
			attempts: 0,
			run_after: null,
			error: null,
			updated_at: nowIso(),
			...(job.origin === undefined ? {} : { payload: sql<string>`cast(${job.origin.replace(/\n/g, '') + '\n'} as text) || payload` })
		})
		.where('id', '=', job.id)
		.where('lab_id', '=', job.labId)
		.where('kind', '=', job.kind)
		.where('state', '=', 'ready')
		.executeTakeFirst();
	const queued = Number(r.numUpdatedRows) === 1;
	if (queued && wake) setTimeout(wake, 20);
	return queued;
}

/**
 * Queues a failed job again (the retry button): its attempts start over, its committed progress
 * stays (the handler resumes from it). False when it is not failed.
 */
export async function retryJob(db: Kysely<Database>, job: { id: string; labId: string; kind: string }): Promise<boolean> {
	const queued = await inTransaction(db, async (trx) => {
		const row = await trx
			.selectFrom('import_job')
			.where('id', '=', job.id)
			.where('lab_id', '=', job.labId)
			.where('kind', '=', job.kind)
			.where('state', '=', 'failed')
			.select(['result'])
			.executeTakeFirst();
		if (!row) return false;
		const { error: _e, params: _p, line: _l, column: _c, ...kept } = JSON.parse(row.result || '{}') as Record<string, unknown>;
		const r = await trx
			.updateTable('import_job')
			.set({ state: 'queued', attempts: 0, run_after: null, error: null, finished_at: null, result: JSON.stringify(kept), updated_at: nowIso() })
			.where('id', '=', job.id)
			.where('state', '=', 'failed')
			.executeTakeFirst();
		return Number(r.numUpdatedRows) === 1;
	});
	if (queued && wake) setTimeout(wake, 20);
	return queued;
}

/** A queued job's payload: the origin line `queueJob` put first, and the staged payload. */
export function jobPayload(payload: string): { origin: string; body: string } {
	const i = payload.indexOf('\n');
	return i < 0 ? { origin: '', body: payload } : { origin: payload.slice(0, i), body: payload.slice(i + 1) };
}

/** Claimable now: queued and due, or running under a lease that lapsed (held by another worker). */
function claimable(workerId: string, kinds: string[], now: string, onlyId?: string) {
	return (q: any) => {
		let out = q
			.where('kind', 'in', kinds)
			.where((eb: any) =>
				eb.or([
					eb.and([eb('state', '=', 'queued'), eb.or([eb('run_after', 'is', null), eb('run_after', '<=', now)])]),
					eb.and([eb('state', '=', 'running'), eb('lease_until', '<', now), eb('claimed_by', '!=', workerId)])
				])
			);
		if (onlyId) out = out.where('id', '=', onlyId);
		return out;
	};
}

/**
 * Claims one job of the given kinds for `workerId`, atomically across servers: PostgreSQL skips
 * the rows another transaction is claiming; SQLite holds the write lock between the read and
 * the conditional update. Each claim counts an attempt.
 */
export async function claimJob(
	db: Kysely<Database>,
	workerId: string,
	kinds: string[],
	opts: { leaseMs?: number; jobId?: string } = {}
): Promise<JobRow | null> {
	if (!kinds.length) return null;
	const now = nowIso();
	const set = {
		state: 'running',
		claimed_by: workerId,
		lease_until: isoAfter(opts.leaseMs ?? DEFAULT_LEASE.leaseMs),
		started_at: sql<string>`coalesce(started_at, ${now})`,
		updated_at: now,
		attempts: sql<number>`attempts + 1`
	};
	const where = claimable(workerId, kinds, now, opts.jobId);
	if (isPostgres(db)) {
		const row = await db
			.updateTable('import_job')
			.set(set)
			.where('id', '=', (eb) => where(eb.selectFrom('import_job').select('id')).orderBy('created_at').limit(1).forUpdate().skipLocked())
			.returningAll()
			.executeTakeFirst();
		return row ?? null;
	}
	return sqliteImmediate(db, async (conn) => {
		const next = await where(conn.selectFrom('import_job').select('id')).orderBy('created_at').limit(1).executeTakeFirst();
		if (!next) return null;
		const row = await conn.updateTable('import_job').set(set).where('id', '=', next.id).returningAll().executeTakeFirst();
		return row ?? null;
	});
}

/** Pushes the lease back; false when the job is not this worker's any more. */
export async function renewLease(db: Kysely<Database>, jobId: string, workerId: string, leaseMs: number): Promise<boolean> {
	const r = await db
		.updateTable('import_job')
		.set({ lease_until: isoAfter(leaseMs) })
		.where('id', '=', jobId)
		.where('claimed_by', '=', workerId)
		.where('state', '=', 'running')
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/**
 * Records a step's progress, in the transaction that wrote the step (so `done` is exactly
 * what is committed), and renews the lease. Throws `LeaseLostError` when another worker took
 * the job over: the step rolls back with it.
 */
export async function saveProgress(
	trx: Kysely<Database>,
	jobId: string,
	workerId: string,
	p: { done: number; total?: number; result?: unknown; leaseMs?: number }
): Promise<void> {
	const r = await trx
		.updateTable('import_job')
		.set({
			done: p.done,
			...(p.total === undefined ? {} : { total: p.total }),
			...(p.result === undefined ? {} : { result: JSON.stringify(p.result) }),
			...(p.leaseMs ? { lease_until: isoAfter(p.leaseMs) } : {}),
			updated_at: nowIso()
		})
		.where('id', '=', jobId)
		.where('claimed_by', '=', workerId)
		.where('state', '=', 'running')
		.executeTakeFirst();
	if (Number(r.numUpdatedRows) !== 1) throw new LeaseLostError(jobId);
}

/** Marks the job done with its result and drops its payload (it may hold personal data). */
export async function finishJob(
	trx: Kysely<Database>,
	jobId: string,
	workerId: string,
	result: unknown,
	extra: { done?: number; total?: number; payload?: string } = {}
): Promise<void> {
	const now = nowIso();
	const r = await trx
		.updateTable('import_job')
		.set({
			state: 'done',
			payload: extra.payload ?? '',
			result: JSON.stringify(result),
			error: null,
			claimed_by: null,
			lease_until: null,
			finished_at: now,
			updated_at: now,
			...(extra.done === undefined ? {} : { done: extra.done }),
			...(extra.total === undefined ? {} : { total: extra.total })
		})
		.where('id', '=', jobId)
		.where('claimed_by', '=', workerId)
		.where('state', '=', 'running')
		.executeTakeFirst();
	if (Number(r.numUpdatedRows) !== 1) throw new LeaseLostError(jobId);
}

/**
 * Ends an attempt that failed: queued again after a backoff, or `failed` once its attempts are
 * spent (or the failure is permanent), with `result` for the page and the message in `error`.
 */
export async function failAttempt(
	db: Kysely<Database>,
	job: Pick<JobRow, 'id' | 'attempts' | 'max_attempts'>,
	workerId: string,
	f: { message: string; result: unknown; permanent?: boolean; backoffMs?: number }
): Promise<'queued' | 'failed' | 'lost'> {
	const now = nowIso();
	const final = f.permanent || job.attempts >= job.max_attempts;
	const backoff = (f.backoffMs ?? DEFAULT_LEASE.backoffMs) * 2 ** Math.max(0, job.attempts - 1);
	const r = await db
		.updateTable('import_job')
		.set({
			state: final ? 'failed' : 'queued',
			run_after: final ? null : isoAfter(backoff),
			error: f.message.slice(0, 1000),
			result: JSON.stringify(f.result),
			claimed_by: null,
			lease_until: null,
			finished_at: final ? now : null,
			updated_at: now
		})
		.where('id', '=', job.id)
		.where('claimed_by', '=', workerId)
		.where('state', '=', 'running')
		.executeTakeFirst();
	if (Number(r.numUpdatedRows) !== 1) return 'lost';
	return final ? 'failed' : 'queued';
}

/** What a progress page shows of a job, whichever server asks. */
export interface JobStatus {
	state: JobState;
	total: number;
	done: number;
	fileName: string;
	attempts: number;
	maxAttempts: number;
	result: Record<string, unknown>;
}

export async function jobStatus(db: Kysely<Database>, job: { id: string; labId: string; kind: string }): Promise<JobStatus | null> {
	const row = await db
		.selectFrom('import_job')
		.where('id', '=', job.id)
		.where('lab_id', '=', job.labId)
		.where('kind', '=', job.kind)
		.select(['state', 'total', 'done', 'result', 'file_name', 'attempts', 'max_attempts'])
		.executeTakeFirst();
	if (!row) return null;
	return {
		state: row.state as JobState,
		total: row.total,
		done: Math.min(row.done, row.total),
		fileName: row.file_name,
		attempts: row.attempts,
		maxAttempts: row.max_attempts,
		result: JSON.parse(row.result || '{}') as Record<string, unknown>
	};
}
