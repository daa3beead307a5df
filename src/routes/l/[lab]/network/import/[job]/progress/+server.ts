import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, httpError, rethrowAsHttp } from '$lib/server/http';
import { jobProgress } from '$lib/server/network/import.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The progress of an import, polled by the progress page: { state, total, done, result }. */
export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'network.import');
	if (!UUID.test(event.params.job)) httpError(404, 'network.import.jobNotFound');
	try {
		return json(await jobProgress(getDb(), ctx, event.params.job), { headers: { 'cache-control': 'no-store' } });
	} catch (e) {
		rethrowAsHttp(e);
	}
};
