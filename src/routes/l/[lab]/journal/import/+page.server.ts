import { publicOrigin } from '$lib/server/env';
import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { DomainError } from '$lib/server/errors';
import { domainFailure, guardLab, readUpload } from '$lib/server/http';
import type { FieldErrors, FormFailure, Msg } from '$lib/shared/forms';
import { MAX_WXR_BYTES, previewWxr, queueWxrImport } from '$lib/server/journal/wordpress';

const MAX_MB = MAX_WXR_BYTES / 1024 / 1024;

export const load: PageServerLoad = async (event) => {
	await guardLab(event, 'journal.import');
	return { maxMb: MAX_MB, maxBytes: MAX_WXR_BYTES };
};

const failure = (status: number, formId: string, message: Msg, errors: FieldErrors = {}) =>
	fail(status, { formId, values: { formId } as Record<string, string>, errors, message } satisfies FormFailure & { formId: string });

const tooLarge = () => {
	const msg: Msg = { key: 'journal.import.tooLarge', params: { max: MAX_MB } };
	return failure(413, 'preview', msg, { file: msg });
};

export const actions: Actions = {
	/** Reads the export: its error with line and column (nothing written), or what it holds and a ready job. */
	preview: async (event) => {
		const ctx = await guardLab(event, 'journal.import');
		// Refused from its announced size, before a byte of the body is read.
		const length = Number(event.request.headers.get('content-length') ?? 0);
		if (length > MAX_WXR_BYTES + 64 * 1024) return tooLarge();
		try {
			const file = await readUpload(event, MAX_WXR_BYTES);
			const preview = await previewWxr(getDb(), ctx, file.bytes, file.name);
			return { formId: 'preview', fileName: file.name, preview };
		} catch (e) {
			if (e instanceof DomainError && (e.code === 'file.tooLarge' || e.code === 'journal.import.tooLarge')) return tooLarge();
			return domainFailure(e, { formId: 'preview' });
		}
	},
	/** Queues the import for a worker (on any server) and follows it on the job's page. */
	run: async (event) => {
		const ctx = await guardLab(event, 'journal.import');
		const form = await event.request.formData();
		const jobId = z.string().uuid().safeParse(form.get('jobId'));
		if (!jobId.success) return failure(400, 'run', { key: 'journal.import.jobNotFound' });
		try {
			await queueWxrImport(getDb(), ctx, jobId.data, publicOrigin());
		} catch (e) {
			return domainFailure(e, { formId: 'run' });
		}
		redirect(303, `/l/${ctx.lab.slug}/journal/import/${jobId.data}`);
	}
};
