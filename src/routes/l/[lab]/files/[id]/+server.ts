import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { getLabContext, rethrowAsHttp } from '$lib/server/http';
import { readAttachment } from '$lib/server/files/files.service';

/** Attachments are always downloaded, never rendered by the app's origin; access follows their owner. */
export const GET: RequestHandler = async (event) => {
	const ctx = await getLabContext(event);
	let f;
	try {
		f = await readAttachment(getDb(), ctx, event.params.id);
	} catch (e) {
		rethrowAsHttp(e);
	}
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
