/**
 * The import from the web page: an uploaded file is previewed (its error with line and column,
 * or what it holds), kept as a job, then queued for a worker and followed with a progress bar.
 */
import type { MessageKey } from '$lib/i18n';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { DomainError } from '../../errors';
import { authorize } from '../../policy';
import { JobError, jobLabContext, jobPayload, jobStatus, queueJob, retryLabJob, startQueuedJobHere, type JobHandler } from '../../jobs';
import type { LabContext } from '../../labs';
import { stageImportJob } from '../../jobs';
import { stripCommenterEmails } from './commenters';
import { type WxrAnalysis, type WxrImportResult, analyseWxr, importWxr } from './import';
import { WxrError, type WxrSite, parseWxr } from './wxr';

export const MAX_WXR_BYTES = 50 * 1024 * 1024;
const JOB_KIND = 'journal.wordpress';

export function decodeWxrBytes(bytes: Uint8Array): string {
	const text = new TextDecoder('utf-8').decode(bytes);
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export interface WxrPreview {
	jobId: string | null;
	error: { line: number; column: number; key: MessageKey; params: Record<string, string | number> } | null;
	analysis: WxrAnalysis | null;
}

/** Reads an uploaded export: its error with line and column (nothing written), or what it holds and a ready job. */
export async function previewWxr(db: Kysely<Database>, ctx: LabContext, bytes: Uint8Array, fileName: string): Promise<WxrPreview> {
	authorize(ctx.role, 'journal.import');
	if (bytes.length > MAX_WXR_BYTES) throw new DomainError('journal.import.tooLarge', 413, { max: MAX_WXR_BYTES / 1024 / 1024 }, 'file');
	const text = decodeWxrBytes(bytes);
	let site: WxrSite;
	try {
		site = parseWxr(text);
	} catch (e) {
		if (e instanceof WxrError) return { jobId: null, error: { line: e.line, column: e.column, key: e.key, params: e.params }, analysis: null };
		throw e;
	}
	const analysis = await analyseWxr(db, ctx, site);
	const jobId = await stageImportJob(db, {
		labId: ctx.lab.id,
		kind: JOB_KIND,
		fileName,
		total: (analysis.counts.posts + analysis.counts.pages) * 2,
		payload: stripCommenterEmails(text),
		createdBy: ctx.actor?.accountId ?? null
	});
	return { jobId, error: null, analysis };
}

export type JobState = 'ready' | 'queued' | 'running' | 'done' | 'failed';

export interface WxrProgress {
	state: JobState;
	total: number;
	done: number;
	fileName: string;
	attempts: number;
	maxAttempts: number;
	result: Partial<WxrImportResult> & { error?: string; params?: Record<string, string | number>; line?: number; column?: number };
}

async function checkJob(db: Kysely<Database>, ctx: LabContext, jobId: string): Promise<void> {
	authorize(ctx.role, 'journal.import');
	if (!(await jobStatus(db, { id: jobId, labId: ctx.lab.id, kind: JOB_KIND }))) throw new DomainError('journal.import.jobNotFound', 404);
}

/** The "Importer" button: queues a ready job for a worker (any server's). */
export async function queueWxrImport(db: Kysely<Database>, ctx: LabContext, jobId: string, origin: string): Promise<void> {
	await checkJob(db, ctx, jobId);
	if (!(await queueJob(db, { id: jobId, labId: ctx.lab.id, kind: JOB_KIND, origin }))) throw new DomainError('journal.import.jobNotReady', 409);
}

/** The retry button of a failed import. */
export async function retryWxrImport(db: Kysely<Database>, ctx: LabContext, jobId: string): Promise<void> {
	await checkJob(db, ctx, jobId);
	await retryLabJob(db, ctx, { id: jobId, kind: JOB_KIND }, { notFailed: 'journal.import.jobNotFailed', action: 'journal.importRetry' });
}

/**
 * The worker's side. The database writes are one transaction (see import.ts): an attempt that
 * dies leaves nothing, and the next one (another server, a retry) starts over; items already
 * imported are recognised by their WordPress id and left unchanged. Progress is saved now and
 * then in the job row, where every server reads it.
 */
export const wxrJob: JobHandler = {
	failedKey: 'journal.import.failed',
	async run(job, jc) {
		try {
			const ctx = await jobLabContext(jc.db, job);
			const { origin, body } = jobPayload(job.payload);
			let total = job.total;
			const result = await importWxr(jc.db, ctx, body, {
				origin,
				fileName: job.file_name,
				onProgress: (done, t) => {
					total = t;
					jc.report(done, t);
				}
			});
			await jc.finish(jc.db, result, { done: total, total });
			return result;
		} catch (e) {
			if (e instanceof WxrError) throw new JobError(e.message, { error: e.key, params: e.params, line: e.line, column: e.column }, true, e);
			if (e instanceof DomainError) throw new JobError(e.message, { error: e.code, params: e.params }, true, e);
			throw e;
		}
	}
};

/** Queues a ready job and runs it in this process at once (tests, scripts); `finished` settles at the end. */
export async function startWxrImport(db: Kysely<Database>, ctx: LabContext, jobId: string, origin: string): Promise<{ finished: Promise<WxrImportResult> }> {
	await queueWxrImport(db, ctx, jobId, origin);
	return startQueuedJobHere<WxrImportResult>(db, jobId, 'journal.import.jobNotReady');
}

/** Imports a ready job and waits for the end (tests, scripts). */
export async function runWxrImport(db: Kysely<Database>, ctx: LabContext, jobId: string, origin: string): Promise<WxrImportResult> {
	const { finished } = await startWxrImport(db, ctx, jobId, origin);
	return finished;
}

export async function wxrJobProgress(db: Kysely<Database>, ctx: LabContext, jobId: string): Promise<WxrProgress> {
	authorize(ctx.role, 'journal.import');
	const job = await jobStatus(db, { id: jobId, labId: ctx.lab.id, kind: JOB_KIND });
	if (!job) throw new DomainError('journal.import.jobNotFound', 404);
	return { ...job, result: job.result as WxrProgress['result'] };
}
