import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { log } from '../log';
import {
	DEFAULT_LEASE,
	JobError,
	LeaseLostError,
	claimJob,
	failAttempt,
	onJobQueued,
	renewLease,
	saveProgress,
	finishJob,
	type JobRow,
	type LeaseOptions
} from './queue';
import { claimTick, type Tick } from './ticks';

/** What a handler gets besides its job: the means to commit steps under its lease. */
export interface JobContext {
	db: Kysely<Database>;
	workerId: string;
	leaseMs: number;
	/** Aborted when the lease is lost (another worker took the job over). */
	signal: AbortSignal;
	/** Records a step's progress in the step's own transaction (throws when the lease is lost). */
	step(trx: Kysely<Database>, p: { done: number; total?: number; result?: unknown }): Promise<void>;
	/** Progress shown while a step cannot commit yet (a long single transaction): best effort. */
	report(done: number, total: number): void;
	/** Marks the job done, in the transaction of its last write when given one. */
	finish(trx: Kysely<Database>, result: unknown, extra?: { done?: number; total?: number; payload?: string }): Promise<void>;
}

export interface JobHandler {
	/** The catalog key shown when an unexpected error ends the job. */
	failedKey: string;
	run(job: JobRow, ctx: JobContext): Promise<unknown>;
}

export type Handlers = Record<string, JobHandler>;

/** hostname + pid + a random part: two processes never share one, even after a restart. */
export function newWorkerId(): string {
	return `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export type RunOutcome = 'done' | 'queued' | 'failed' | 'lost';
/** How an attempt ended: the handler's result when done, what it threw otherwise. */
export interface RunReport {
	outcome: RunOutcome;
	result?: unknown;
	error?: unknown;
}

/**
 * Runs a claimed job through its handler, renewing its lease meanwhile. The handler commits
 * its steps and finishes the job itself (see JobContext); whatever it throws ends the attempt.
 */
export async function runClaimed(
	db: Kysely<Database>,
	job: JobRow,
	handlers: Handlers,
	workerId: string,
	lease: LeaseOptions = DEFAULT_LEASE,
	opts: { final?: boolean } = {}
): Promise<RunReport> {
	const handler = handlers[job.kind];
	const failedKey = handler?.failedKey ?? 'jobs.failed';
	const previous = JSON.parse(job.result || '{}') as Record<string, unknown>;
	if (!handler || job.attempts > job.max_attempts) {
		// No handler on this server, or a lease that lapsed on the last allowed attempt.
		const message = handler ? `lease expired after ${job.max_attempts} attempts` : `no handler for ${job.kind}`;
		log.error('jobs.failed', { jobId: job.id, kind: job.kind, error: message });
		const outcome = await failAttempt(db, job, workerId, { message, result: { ...previous, error: failedKey }, permanent: true, backoffMs: lease.backoffMs });
		return { outcome, error: new Error(message) };
	}
	const controller = new AbortController();
	const renew = setInterval(
		() => {
			renewLease(db, job.id, workerId, lease.leaseMs)
				.then((ok) => {
					if (!ok) controller.abort();
				})
				.catch(() => undefined);
		},
		Math.max(10, Math.floor(lease.leaseMs / 3))
	);
	renew.unref?.();
	let lastReport = 0;
	const ctx: JobContext = {
		db,
		workerId,
		leaseMs: lease.leaseMs,
		signal: controller.signal,
		step: (trx, p) => saveProgress(trx, job.id, workerId, { ...p, leaseMs: lease.leaseMs }),
		report: (done, total) => {
			if (Date.now() - lastReport < 1000 && done < total) return;
			lastReport = Date.now();
			// Not awaited: on SQLite it waits for the job's own transaction, if one is open.
			void saveProgress(db, job.id, workerId, { done, total }).catch(() => undefined);
		},
		finish: (trx, result, extra) => finishJob(trx, job.id, workerId, result, extra)
	};
	try {
		return { outcome: 'done', result: await handler.run(job, ctx) };
	} catch (e) {
		if (e instanceof LeaseLostError || controller.signal.aborted) {
			log.warn('jobs.leaseLost', { jobId: job.id, kind: job.kind, workerId });
			return { outcome: 'lost', error: e };
		}
		const message = e instanceof Error ? e.message : String(e);
		const result = e instanceof JobError ? { ...previous, ...e.result } : { ...previous, error: failedKey };
		const outcome = await failAttempt(db, job, workerId, {
			message,
			result,
			permanent: opts.final || (e instanceof JobError && e.permanent),
			backoffMs: lease.backoffMs
		});
		log.error('jobs.attemptFailed', { jobId: job.id, kind: job.kind, attempts: job.attempts, outcome, error: message });
		return { outcome, error: e };
	} finally {
		clearInterval(renew);
	}
}

/**
 * Claims one job (or the given one) and starts it: null when there was nothing to claim,
 * otherwise the claimed row and the attempt's end.
 */
export async function startNextJob(
	db: Kysely<Database>,
	handlers: Handlers,
	workerId: string,
	opts: Partial<LeaseOptions> & { jobId?: string; final?: boolean } = {}
): Promise<{ job: JobRow; finished: Promise<RunReport> } | null> {
	const lease = { leaseMs: opts.leaseMs ?? DEFAULT_LEASE.leaseMs, backoffMs: opts.backoffMs ?? DEFAULT_LEASE.backoffMs };
	const job = await claimJob(db, workerId, Object.keys(handlers), { leaseMs: lease.leaseMs, jobId: opts.jobId });
	if (!job) return null;
	return { job, finished: runClaimed(db, job, handlers, workerId, lease, { final: opts.final }) };
}

/** Claims and runs one job (or the given one); null when there was nothing to claim. */
export async function runNextJob(
	db: Kysely<Database>,
	handlers: Handlers,
	workerId: string,
	opts: Partial<LeaseOptions> & { jobId?: string; final?: boolean } = {}
): Promise<({ job: JobRow } & RunReport) | null> {
	const started = await startNextJob(db, handlers, workerId, opts);
	if (!started) return null;
	return { job: started.job, ...(await started.finished) };
}

export interface WorkerOptions extends Partial<LeaseOptions> {
	/** This server's worker id (see newWorkerId). */
	id: string;
	handlers: Handlers;
	ticks?: Tick[];
	/** How often the queue is looked at when nothing woke the worker. */
	pollMs?: number;
	/** How often periodic tasks are checked. */
	tickCheckMs?: number;
}

/**
 * This server's worker: claims and runs jobs one at a time (woken at once by a job queued here,
 * otherwise every `pollMs`), and runs the periodic tasks whose period it wins. Returns a stop
 * function. A job left running by a stopped worker is taken over once its lease lapses.
 */
export function startWorkers(db: Kysely<Database>, opts: WorkerOptions): () => void {
	const lease: LeaseOptions = { leaseMs: opts.leaseMs ?? DEFAULT_LEASE.leaseMs, backoffMs: opts.backoffMs ?? DEFAULT_LEASE.backoffMs };
	let stopped = false;
	let busy = false;
	let again = false;
	const drain = async () => {
		if (stopped) return;
		if (busy) {
			again = true;
			return;
		}
		busy = true;
		try {
			do {
				again = false;
				while (!stopped && (await runNextJob(db, opts.handlers, opts.id, lease))) {
					/* next one */
				}
			} while (again && !stopped);
		} catch (err) {
			log.error('jobs.workerError', { error: err instanceof Error ? err.message : String(err) });
		} finally {
			busy = false;
		}
	};
	const ticking = new Set<string>();
	const ticks = async () => {
		for (const t of opts.ticks ?? []) {
			if (stopped || ticking.has(t.name)) continue;
			try {
				if (!(await claimTick(db, t.name, t.everyMs, opts.id))) continue;
			} catch (err) {
				log.error('jobs.tickError', { task: t.name, error: err instanceof Error ? err.message : String(err) });
				continue;
			}
			ticking.add(t.name);
			t.run(db)
				.catch((err: unknown) => log.error('jobs.tickFailed', { task: t.name, error: err instanceof Error ? err.message : String(err) }))
				.finally(() => ticking.delete(t.name));
		}
	};
	const poll = setInterval(() => void drain(), opts.pollMs ?? 5000);
	poll.unref?.();
	const tickTimer = setInterval(() => void ticks(), opts.tickCheckMs ?? 15_000);
	tickTimer.unref?.();
	onJobQueued(() => void drain());
	void drain();
	void ticks();
	log.info('jobs.workerStarted', { workerId: opts.id });
	return () => {
		stopped = true;
		clearInterval(poll);
		clearInterval(tickTimer);
		onJobQueued(null);
	};
}
