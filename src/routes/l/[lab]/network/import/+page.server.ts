import { publicOrigin } from '$lib/server/env';
import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { DomainError } from '$lib/server/errors';
import { domainFailure, guardLab, readUpload } from '$lib/server/http';
import type { FieldErrors, FormFailure, Msg } from '$lib/shared/forms';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, previewImport, queueImport, IMPORT_COLUMNS } from '$lib/server/network/import.service';

/** What the page shows of a file's errors; the count says how many there are in all. */
const SHOWN_ERRORS = 1000;
const MAX_MB = MAX_IMPORT_BYTES / 1024 / 1024;

export const load: PageServerLoad = async (event) => {
	await guardLab(event, 'network.import');
	return {
		maxMb: MAX_MB,
		maxBytes: MAX_IMPORT_BYTES,
		maxRows: MAX_IMPORT_ROWS,
		columns: IMPORT_COLUMNS.map((c) => ({ header: c.header, field: c.field, required: c.required }))
	};
};

const failure = (status: number, formId: string, message: Msg, errors: FieldErrors = {}) =>
	fail(status, { formId, values: { formId } as Record<string, string>, errors, message } satisfies FormFailure & { formId: string });

const tooLarge = () => {
	const msg: Msg = { key: 'network.import.tooLarge', params: { max: MAX_MB } };
	return failure(413, 'preview', msg, { file: msg });
};

export const actions: Actions = {
	preview: async (event) => {
		const ctx = await guardLab(event, 'network.import');
		// Refused from its announced size, before a byte of the body is read.
		const length = Number(event.request.headers.get('content-length') ?? 0);
		if (length > MAX_IMPORT_BYTES + 64 * 1024) return tooLarge();
		try {
			const file = await readUpload(event, MAX_IMPORT_BYTES);
			const preview = await previewImport(getDb(), ctx, file.bytes, file.name);
			return {
				formId: 'preview',
				fileName: file.name,
				preview: { ...preview, errorCount: preview.errors.length, errors: preview.errors.slice(0, SHOWN_ERRORS) }
			};
		} catch (e) {
			if (e instanceof DomainError && e.code === 'file.tooLarge') return tooLarge();
			return domainFailure(e, { formId: 'preview' });
		}
	},
	run: async (event) => {
		const ctx = await guardLab(event, 'network.import');
		const form = await event.request.formData();
		const jobId = z.string().uuid().safeParse(form.get('jobId'));
		if (!jobId.success) return failure(400, 'run', { key: 'network.import.jobNotFound' });
		try {
			// A worker (on any server) writes it; the next page follows its progress.
			await queueImport(getDb(), ctx, jobId.data, publicOrigin());
		} catch (e) {
			return domainFailure(e, { formId: 'run' });
		}
		redirect(303, `/l/${ctx.lab.slug}/network/import/${jobId.data}`);
	}
};
