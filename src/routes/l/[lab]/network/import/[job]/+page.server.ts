import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, httpError, rethrowAsHttp } from '$lib/server/http';
import { jobProgress } from '$lib/server/network/import.service';

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
