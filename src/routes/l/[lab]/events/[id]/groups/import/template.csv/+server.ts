import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, rethrowAsHttp } from '$lib/server/http';
import { toCsv } from '$lib/server/csv';
import { importContext } from '$lib/server/sessions/import';

/** A file to fill in: the expected header (with the lab's own attributes) and one example row. */
export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'events.edit');
	const c = await importContext(getDb(), ctx, event.params.id).catch((e) => rethrowAsHttp(e));
	return new Response(toCsv(c.header, [c.example]), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': 'attachment; filename="modele-participants.csv"',
			'cache-control': 'private, no-store'
		}
	});
};
