import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, httpError, rethrowAsHttp } from '$lib/server/http';
import { jobProgress, retryImport } from '$lib/server/network/import.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'network.import');
	if (!UUID.test(event.params.job)) httpError(404, 'network.import.jobNotFound');
	try {
		return { jobId: event.params.job, progress: await jobProgress(getDb(), ctx, event.params.job) };
	} catch (e) {
		rethrowAsHttp(e);
	}
};

export const actions: Actions = {
	/** A failed import queued again: it resumes after what it had written. */
	retry: async (event) => {
		const ctx = await guardLab(event, 'network.import');
		if (!UUID.test(event.params.job)) httpError(404, 'network.import.jobNotFound');
		try {
			await retryImport(getDb(), ctx, event.params.job);
		} catch (e) {
			return domainFailure(e, { formId: 'retry' });
		}
		redirect(303, event.url.pathname);
	}
};
