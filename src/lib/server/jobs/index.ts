/**
 * Background work that several app servers can share through one database:
 * - durable jobs (the imports): queued by a request, claimed by one worker under a renewed
 *   lease, resumed elsewhere when their server dies, failed after `max_attempts`, retried by hand;
 * - periodic tasks run once per period across servers (`job_tick`);
 * - the mail outbox claims its messages the same way (see ../mail/transport.ts).
 * `startWorkers` runs this server's share; LABO_WORKERS=0 makes a web-only server.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { defaultHandlers, defaultTicks } from './kinds';
import type { Tick } from './ticks';
import { ConfigError } from '../env';
import { DEFAULT_LEASE } from './queue';
import { newWorkerId, startNextJob, type RunReport } from './worker';
import { JobError, retryJob, type JobRow, type LeaseOptions } from './queue';
import { DomainError } from '../errors';
import { recordAudit } from '../audit';
import type { LabContext } from '../labs';
import type { MessageKey } from '$lib/i18n';

export {
	DEFAULT_LEASE,
	LeaseLostError,
	claimJob,
	failAttempt,
	finishJob,
	jobPayload,
	jobStatus,
	queueJob,
	renewLease,
	retryJob,
	saveProgress,
	type JobRow,
	type JobState,
	type JobStatus,
	type LeaseOptions
} from './queue';
export { JobError };
export { claimTick, type Tick } from './ticks';
export {
	newWorkerId,
	runClaimed,
	runNextJob,
	startNextJob,
	startWorkers,
	type Handlers,
	type JobContext,
	type JobHandler,
	type RunOutcome,
	type RunReport,
	type WorkerOptions
} from './worker';
export { jobLabContext } from './context';
export { defaultHandlers, defaultTicks } from './kinds';

/** Whether this server runs background work: LABO_WORKERS=0 makes it web-only. */
export function workersEnabled(env: Record<string, string | undefined> = process.env): boolean {
	return (env.LABO_WORKERS ?? '').trim() !== '0';
}

/** How often and how long this server's background work claims things (see `backgroundTimings`). */
export interface BackgroundTimings {
	/** A job's lease (LABO_JOB_LEASE_MS, 2 minutes). */
	leaseMs: number;
	/** A claimed mail batch's lease (LABO_OUTBOX_LEASE_MS, 5 minutes). */
	outboxLeaseMs: number;
	/** How often the job queue and the outbox are looked at when nothing woke them (5 s). */
	pollMs: number;
	/** How often periodic tasks are checked (15 s). */
	tickCheckMs: number;
	/** The periodic tasks, their periods scaled. */
	ticks: Tick[];
}

/**
 * The workers' durations, from the environment; the defaults suit production. Tests that kill
 * servers shorten them: LABO_JOB_LEASE_MS and LABO_OUTBOX_LEASE_MS (how soon another server
 * takes over a dead one's job or mail batch), LABO_TICK_SCALE (a factor, default 1, applied to
 * the periodic tasks' periods and to the polling intervals: 0.05 checks for due posts every 3 s).
 * A value that is not a positive number stops the server with one line.
 */
export function backgroundTimings(env: Record<string, string | undefined> = process.env, ticks: Tick[] = defaultTicks()): BackgroundTimings {
	const num = (name: string, fallback: number): number => {
		const raw = (env[name] ?? '').trim();
		if (!raw) return fallback;
		const n = Number(raw);
		if (!Number.isFinite(n) || n <= 0)
			throw new ConfigError(`Configuration invalide / invalid configuration — ${name}: a positive number is expected (${raw})`);
		return n;
	};
	const scale = num('LABO_TICK_SCALE', 1);
	const scaled = (ms: number) => Math.max(50, Math.round(ms * scale));
	return {
		leaseMs: Math.round(num('LABO_JOB_LEASE_MS', DEFAULT_LEASE.leaseMs)),
		outboxLeaseMs: Math.round(num('LABO_OUTBOX_LEASE_MS', 5 * 60_000)),
		pollMs: scaled(5000),
		tickCheckMs: scaled(15_000),
		ticks: ticks.map((t) => ({ ...t, everyMs: scaled(t.everyMs) }))
	};
}

/**
 * Claims one queued job here and now, whatever server would have claimed it, and runs it
 * (scripts, tests). One attempt: a failure is final, for the caller to see. Null when it could
 * not be claimed (not queued, or another worker holds it). `finished` rejects with the
 * handler's error and resolves with its result.
 */
export async function startJobNow(
	db: Kysely<Database>,
	jobId: string,
	opts: Partial<LeaseOptions> = {}
): Promise<{ job: JobRow; finished: Promise<unknown> } | null> {
	const started = await startNextJob(db, defaultHandlers(), newWorkerId(), { ...opts, jobId, final: true });
	if (!started) return null;
	return {
		job: started.job,
		finished: started.finished.then((r: RunReport) => {
			// The handler's own error (a JobError carries it as its cause).
			if (r.outcome !== 'done') throw (r.error instanceof JobError && r.error.cause) || r.error || new Error(`job ${jobId}: ${r.outcome}`);
			return r.result;
		})
	};
}

/**
 * Runs a queued job of this process at once (scripts, tests); 409 with `notReady` when it
 * cannot be claimed (not queued, or another worker holds it).
 */
export async function startQueuedJobHere<T>(db: Kysely<Database>, jobId: string, notReady: MessageKey): Promise<{ finished: Promise<T> }> {
	const started = await startJobNow(db, jobId);
	if (!started) throw new DomainError(notReady, 409);
	return { finished: started.finished as Promise<T> };
}

/**
 * The retry button of a lab's failed job: queued again, keeping its committed progress, and
 * audited; 409 with `notFailed` when the job has not failed.
 */
export async function retryLabJob(
	db: Kysely<Database>,
	ctx: LabContext,
	job: { id: string; kind: string },
	opts: { notFailed: MessageKey; action: string; summary?: Record<string, unknown> }
): Promise<void> {
	if (!(await retryJob(db, { id: job.id, labId: ctx.lab.id, kind: job.kind }))) throw new DomainError(opts.notFailed, 409);
	await recordAudit(db, {
		labId: ctx.lab.id,
		actorId: ctx.actor?.accountId ?? null,
		action: opts.action,
		subjectType: 'import_job',
		subjectId: job.id,
		summary: opts.summary ?? {}
	});
}
export { runningJobCount } from './counters';
export { findLabJob, READY_TTL_MS, stageImportJob } from './stage';
export { aFailedImport, failedImportsCount } from './todo';
