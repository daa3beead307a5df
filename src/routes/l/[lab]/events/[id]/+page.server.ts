import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm, readUpload, rethrowAsHttp } from '$lib/server/http';
import { createOutputs, getEvent } from '$lib/server/events/events.service';
import { attachFile, MAX_FILE_BYTES } from '$lib/server/files/files.service';
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
		try {
			const file = await readUpload(event, MAX_FILE_BYTES);
			await attachFile(getDb(), ctx, { type: 'event', id: event.params.id }, file);
			return { formId: 'upload', done: { key: 'file.uploaded', params: { name: file.name } } };
		} catch (e) {
			return domainFailure(e, { formId: 'upload' });
		}
	}
};
