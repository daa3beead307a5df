import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { DomainError } from '$lib/server/errors';
import { domainFailure, guardLab, readUpload, rethrowAsHttp } from '$lib/server/http';
import type { FieldErrors, FormFailure, Msg } from '$lib/shared/forms';
import {
	MAX_SESSION_IMPORT_BYTES,
	MAX_SESSION_IMPORT_ROWS,
	SESSION_COLUMNS,
	importContext,
	queueStaged,
	retryStaged,
	stagedStatus,
	stageParticipants
} from '$lib/server/sessions/import';

/** What the page shows of a file's errors and rows; the counts say how many there are in all. */
const SHOWN_ERRORS = 1000;
const SHOWN_ROWS = 500;
const MAX_MB = MAX_SESSION_IMPORT_BYTES / 1024 / 1024;

/** `?imported=2,1,0` after a confirmed import: added, updated, unchanged. */
function importedFrom(url: URL): { added: number; updated: number; unchanged: number } | null {
	const m = /^(\d{1,5}),(\d{1,5}),(\d{1,5})$/.exec(url.searchParams.get('imported') ?? '');
	return m ? { added: Number(m[1]), updated: Number(m[2]), unchanged: Number(m[3]) } : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'events.edit');
	try {
		const c = await importContext(getDb(), ctx, event.params.id);
		// `?job=…` after a confirmation: where the queued import stands (any server answers).
		const jobParam = event.url.searchParams.get('job') ?? '';
		const job = UUID.test(jobParam) ? { id: jobParam, ...(await stagedStatus(getDb(), ctx, event.params.id, jobParam)) } : null;
		return {
			job,
			...c,
			maxMb: MAX_MB,
			maxBytes: MAX_SESSION_IMPORT_BYTES,
			maxRows: MAX_SESSION_IMPORT_ROWS,
			columns: SESSION_COLUMNS.map((col) => ({ header: col.header, field: col.field, required: col.required })),
			imported: importedFrom(event.url)
		};
	} catch (e) {
		rethrowAsHttp(e);
	}
};

const failure = (status: number, formId: string, message: Msg, errors: FieldErrors = {}) =>
	fail(status, { formId, values: { formId } as Record<string, string>, errors, message } satisfies FormFailure & { formId: string });

const tooLarge = () => {
	const msg: Msg = { key: 'session.import.tooLarge', params: { max: MAX_MB } };
	return failure(413, 'preview', msg, { file: msg });
};

export const actions: Actions = {
	preview: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		// Refused from its announced size, before a byte of the body is read.
		const length = Number(event.request.headers.get('content-length') ?? 0);
		if (length > MAX_SESSION_IMPORT_BYTES + 64 * 1024) return tooLarge();
		try {
			const file = await readUpload(event, MAX_SESSION_IMPORT_BYTES);
			const preview = await stageParticipants(getDb(), ctx, event.params.id, file.bytes, file.name);
			return {
				formId: 'preview',
				fileName: file.name,
				preview: {
					jobId: preview.jobId,
					encoding: preview.encoding,
					counts: preview.counts,
					errorCount: preview.errors.length,
					errors: preview.errors.slice(0, SHOWN_ERRORS),
					rowCount: preview.rows.length,
					rows: preview.errors.length ? [] : preview.rows.slice(0, SHOWN_ROWS)
				}
			};
		} catch (e) {
			if (e instanceof DomainError && e.code === 'file.tooLarge') return tooLarge();
			if (e instanceof DomainError && e.status === 404) rethrowAsHttp(e);
			return domainFailure(e, { formId: 'preview' });
		}
	},
	import: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		const form = await event.request.formData();
		const jobId = z.string().uuid().safeParse(form.get('jobId'));
		if (!jobId.success) return failure(400, 'import', { key: 'session.import.jobNotFound' });
		try {
			// A worker (on any server) writes it; the page then follows the job.
			await queueStaged(getDb(), ctx, event.params.id, jobId.data);
		} catch (e) {
			return domainFailure(e, { formId: 'import' });
		}
		redirect(303, `/l/${ctx.lab.slug}/events/${encodeURIComponent(event.params.id)}/groups/import?job=${jobId.data}`);
	},
	/** A failed import queued again (its file is checked again when it runs). */
	retry: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		const form = await event.request.formData();
		const jobId = z.string().uuid().safeParse(form.get('jobId'));
		if (!jobId.success) return failure(400, 'retry', { key: 'session.import.jobNotFound' });
		try {
			await retryStaged(getDb(), ctx, event.params.id, jobId.data);
		} catch (e) {
			return domainFailure(e, { formId: 'retry' });
		}
		redirect(303, `/l/${ctx.lab.slug}/events/${encodeURIComponent(event.params.id)}/groups/import?job=${jobId.data}`);
	}
};
