import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, httpError } from '$lib/server/http';
import { can } from '$lib/server/policy';
import { readJournalImage } from '$lib/server/journal/images';
import { previewPostId } from '$lib/server/journal/posts.service';

/**
 * Journal images: content-addressed, shown inline, never run. An image a published post uses is
 * public and cached for good; one only drafts use is served to those who may edit the journal,
 * and to a reviewer whose preview link (?preview=) opens a post using it, never cached publicly.
 */
export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	const db = getDb();
	const preview = event.url.searchParams.get('preview');
	const img = await readJournalImage(db, ctx.lab.id, event.params.id, {
		mayEdit: can(ctx.role, 'journal.write'),
		previewPostId: preview ? await previewPostId(db, ctx.lab.id, preview) : null
	});
	if (!img) httpError(404, 'error.notFound');
	const etag = `"${img.sha256}"`;
	const headers: Record<string, string> = {
		'Content-Type': 'image/webp',
		'Cache-Control': img.public ? 'public, max-age=31536000, immutable' : 'private, no-store',
		ETag: etag,
		'Content-Security-Policy': "default-src 'none'; sandbox"
	};
	if (!img.public) headers['Referrer-Policy'] = 'no-referrer';
	if (event.request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
	return new Response(new Uint8Array(img.bytes), { headers });
};
