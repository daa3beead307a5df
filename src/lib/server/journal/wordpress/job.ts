/**
 * The import from the web page: an uploaded file is previewed (its error with line and column,
 * or what it holds), kept as a job, then run with a progress bar.
 */
import type { MessageKey } from '$lib/i18n';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { nowIso } from '../../db/util';
import { DomainError } from '../../errors';
import { authorize } from '../../policy';
import { log } from '../../log';
import type { LabContext } from '../../labs/labs.service';
import { stageImportJob } from '../../db/jobs';
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

export type JobState = 'ready' | 'running' | 'done' | 'failed';

export interface WxrProgress {
	state: JobState;
	total: number;
	done: number;
	fileName: string;
	result: Partial<WxrImportResult> & { error?: string; params?: Record<string, string | number>; line?: number; column?: number };
}

/** Progress of the jobs running in this process (the transaction's own writes are not visible outside it). */
const live = new Map<string, { done: number; total: number }>();

/** Claims a ready job (it becomes `running`) and imports it in the background; `finished` settles at the end. */
export async function startWxrImport(db: Kysely<Database>, ctx: LabContext, jobId: string, origin: string): Promise<{ finished: Promise<WxrImportResult> }> {
	authorize(ctx.role, 'journal.import');
	const job = await db.selectFrom('import_job').where('id', '=', jobId).where('lab_id', '=', ctx.lab.id).where('kind', '=', JOB_KIND).select(['id']).executeTakeFirst();
	if (!job) throw new DomainError('journal.import.jobNotFound', 404);
	const claimed = await db.updateTable('import_job').set({ state: 'running', updated_at: nowIso() }).where('id', '=', jobId).where('state', '=', 'ready').executeTakeFirst();
	if (!Number(claimed.numUpdatedRows)) throw new DomainError('journal.import.jobNotReady', 409);
	live.set(jobId, { done: 0, total: 0 });
	return { finished: processJob(db, ctx, jobId, origin) };
}

async function processJob(db: Kysely<Database>, ctx: LabContext, jobId: string, origin: string): Promise<WxrImportResult> {
	let lastSaved = 0;
	try {
		const job = await db.selectFrom('import_job').where('id', '=', jobId).select(['payload', 'file_name']).executeTakeFirstOrThrow();
		const result = await importWxr(db, ctx, job.payload, {
			origin,
			fileName: job.file_name,
			onProgress: (done, total) => {
				live.set(jobId, { done, total });
				// Saved now and then, not awaited: with SQLite it waits for the import's transaction.
				if (Date.now() - lastSaved > 1000) {
					lastSaved = Date.now();
					void db
						.updateTable('import_job')
						.set({ done, total, updated_at: nowIso() })
						.where('id', '=', jobId)
						.where('state', '=', 'running')
						.execute()
						.catch(() => undefined);
				}
			}
		});
		const total = live.get(jobId)?.total ?? 0;
		await db.updateTable('import_job').set({ state: 'done', payload: '', done: total, total, result: JSON.stringify(result), updated_at: nowIso() }).where('id', '=', jobId).execute();
		return result;
	} catch (e) {
		const params =
			e instanceof WxrError
				? { error: e.key, params: e.params, line: e.line, column: e.column }
				: e instanceof DomainError
					? { error: e.code, params: e.params }
					: { error: 'journal.import.failed' };
		log.error('journal.importFailed', { jobId, error: e instanceof Error ? e.message : String(e) });
		await db
			.updateTable('import_job')
			.set({ state: 'failed', payload: '', result: JSON.stringify(params), updated_at: nowIso() })
			.where('id', '=', jobId)
			.execute()
			.catch(() => undefined);
		throw e;
	} finally {
		live.delete(jobId);
	}
}

/** Imports a ready job and waits for the end (tests, scripts). */
export async function runWxrImport(db: Kysely<Database>, ctx: LabContext, jobId: string, origin: string): Promise<WxrImportResult> {
	const { finished } = await startWxrImport(db, ctx, jobId, origin);
	return finished;
}

export async function wxrJobProgress(db: Kysely<Database>, ctx: LabContext, jobId: string): Promise<WxrProgress> {
	authorize(ctx.role, 'journal.import');
	const job = await db
		.selectFrom('import_job')
		.where('id', '=', jobId)
		.where('lab_id', '=', ctx.lab.id)
		.where('kind', '=', JOB_KIND)
		.select(['state', 'total', 'done', 'result', 'file_name'])
		.executeTakeFirst();
	if (!job) throw new DomainError('journal.import.jobNotFound', 404);
	const now = job.state === 'running' ? live.get(jobId) : undefined;
	const total = now?.total || job.total;
	const done = Math.min(now?.done ?? job.done, total);
	return { state: job.state as JobState, total, done, fileName: job.file_name, result: JSON.parse(job.result || '{}') as WxrProgress['result'] };
}

