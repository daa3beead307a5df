import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { getLabContext, httpError, rethrowAsHttp } from '$lib/server/http';
import { can } from '$lib/server/policy';
import { readFile } from '$lib/server/files/files.service';
import { canReadRequest } from '$lib/server/fund/fund.service';

/** Attachments are always downloaded, never rendered by the app's origin; access follows their owner. */
export const GET: RequestHandler = async (event) => {
	const ctx = await getLabContext(event);
	if (!event.locals.user) httpError(404, 'error.notFound');
	let f;
	try {
		f = await readFile(getDb(), ctx, event.params.id);
	} catch (e) {
		rethrowAsHttp(e);
	}
	const allowed = f.owner_type === 'event' ? can(ctx.role, 'events.view') : f.owner_type === 'funding_request' ? await canReadRequest(getDb(), ctx, f.owner_id) : false;
	if (!allowed) httpError(404, 'file.notFound');
	return new Response(new Uint8Array(f.bytes), {
		headers: {
			'content-type': f.mime,
			'content-length': String(f.bytes.length),
			'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`,
			'x-content-type-options': 'nosniff',
			'content-security-policy': "sandbox; default-src 'none'",
			'cache-control': 'private, max-age=3600'
		}
	});
};
