import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, httpError } from '$lib/server/http';
import { readJournalImage } from '$lib/server/journal/images';

/** Journal images: content-addressed, so cached for good; shown inline, never run. */
export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	const img = await readJournalImage(getDb(), ctx.lab.id, event.params.id);
	if (!img) httpError(404, 'error.notFound');
	const etag = `"${img.sha256}"`;
	const headers = { 'Content-Type': 'image/webp', 'Cache-Control': 'public, max-age=31536000, immutable', ETag: etag, 'Content-Security-Policy': "default-src 'none'; sandbox" };
	if (event.request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
	return new Response(new Uint8Array(img.bytes), { headers });
};
