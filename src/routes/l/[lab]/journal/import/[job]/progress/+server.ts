import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, httpError, rethrowAsHttp } from '$lib/server/http';
import { wxrJobProgress } from '$lib/server/journal/wordpress';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The progress of a blog import, polled by its page: { state, total, done, fileName, result }. */
export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'journal.import');
	if (!UUID.test(event.params.job)) httpError(404, 'journal.import.jobNotFound');
	try {
		return json(await wxrJobProgress(getDb(), ctx, event.params.job), { headers: { 'cache-control': 'no-store' } });
	} catch (e) {
		rethrowAsHttp(e);
	}
};
