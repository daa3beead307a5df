import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm, rethrowAsHttp } from '$lib/server/http';
import { createOutputs, getEvent } from '$lib/server/events/events.service';
import { MAX_FILE_BYTES, storeFile } from '$lib/server/files/files.service';
import { DomainError } from '$lib/server/errors';
import { outputsSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'events.view');
	try {
		return { event: await getEvent(getDb(), ctx, event.params.id), saved: event.url.searchParams.has('saved') };
	} catch (e) {
		rethrowAsHttp(e);
	}
};

export const actions: Actions = {
	outputs: async (event) => {
		const ctx = await guardLab(event, 'knowledge.edit');
		const parsed = await parseForm(event, outputsSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			const ids = await createOutputs(getDb(), ctx, event.params.id, parsed.data.outputs);
			return { formId: 'outputs', done: { key: 'event.outputsCreated', params: { count: ids.length } } };
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
	},
	upload: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		// Refuse oversized bodies before reading them whole.
		const length = Number(event.request.headers.get('content-length') ?? 0);
		if (length > MAX_FILE_BYTES + 64 * 1024) return fail(413, { formId: 'upload', values: {}, errors: { file: { key: 'file.tooLarge', params: { max: 10 } } }, message: { key: 'file.tooLarge', params: { max: 10 } } });
		const data = await event.request.formData();
		const file = data.get('file');
		try {
			if (!(file instanceof File) || file.size === 0) throw new DomainError('file.empty', 400, {}, 'file');
			await getEvent(getDb(), ctx, event.params.id);
			await storeFile(getDb(), ctx, { type: 'event', id: event.params.id }, { name: file.name, bytes: Buffer.from(await file.arrayBuffer()) });
			return { formId: 'upload', done: { key: 'file.uploaded', params: { name: file.name } } };
		} catch (e) {
			return domainFailure(e, { formId: 'upload' });
		}
	}
};
