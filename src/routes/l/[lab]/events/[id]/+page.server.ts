import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm, readUpload, rethrowAsHttp } from '$lib/server/http';
import { cancelEvent, createOutputs, deleteEvent, getEvent, reinstateEvent } from '$lib/server/events/events.service';
import { attachFile, MAX_FILE_BYTES } from '$lib/server/files/files.service';
import { eventCancelSchema, eventDeleteSchema, outputsSchema } from '$lib/shared/schemas';
import { formMessage } from '$lib/shared/forms';

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
			return { formId: 'outputs', done: formMessage('event.outputsCreated', { count: ids.length }) };
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
	},
	upload: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		try {
			const file = await readUpload(event, MAX_FILE_BYTES);
			await attachFile(getDb(), ctx, { type: 'event', id: event.params.id }, file);
			return { formId: 'upload', done: formMessage('file.uploaded', { name: file.name }) };
		} catch (e) {
			return domainFailure(e, { formId: 'upload' });
		}
	},
	cancel: async (event) => {
		const ctx = await guardLab(event, 'events.cancel');
		const parsed = await parseForm(event, eventCancelSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await cancelEvent(getDb(), ctx, event.params.id, parsed.data.reason);
			return { formId: 'cancel', done: formMessage('event.cancelDone') };
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
	},
	reinstate: async (event) => {
		const ctx = await guardLab(event, 'events.cancel');
		try {
			await reinstateEvent(getDb(), ctx, event.params.id);
			return { formId: 'cancel', done: formMessage('event.reinstated') };
		} catch (e) {
			return domainFailure(e, { formId: 'cancel' });
		}
	},
	delete: async (event) => {
		const ctx = await guardLab(event, 'events.delete');
		const parsed = await parseForm(event, eventDeleteSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await deleteEvent(getDb(), ctx, event.params.id);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		redirect(303, `/l/${ctx.lab.slug}/events?deleted`);
	}
};
