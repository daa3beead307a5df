import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, rethrowAsHttp } from '$lib/server/http';
import { publishedFile } from '$lib/server/opendata/opendata.service';

/** A published open-data file, as it was published: UTF-8 without byte-order mark, comma-separated. */
export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	try {
		const file = await publishedFile(getDb(), ctx, event.params.file);
		return new Response(file.content, {
			headers: {
				'content-type': 'text/csv; charset=utf-8',
				'content-disposition': `attachment; filename="${ctx.lab.slug}-${file.fileName}"`,
				'last-modified': new Date(file.publishedAt).toUTCString()
			}
		});
	} catch (e) {
		rethrowAsHttp(e);
	}
};
