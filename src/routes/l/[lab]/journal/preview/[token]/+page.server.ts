import { publicOrigin } from '$lib/server/env';
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, httpError } from '$lib/server/http';
import { previewPost, publicBacklinks, renderPublicBody } from '$lib/server/journal/posts.service';

// A draft shared with reviewers: whoever has the link reads it, search engines do not.
export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	const db = getDb();
	const post = await previewPost(db, ctx.lab, event.params.token);
	if (!post) httpError(404, 'journal.notFound');
	event.setHeaders({ 'X-Robots-Tag': 'noindex', 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer' });
	const [html, backlinks] = await Promise.all([renderPublicBody(db, ctx.lab, post.body), publicBacklinks(db, ctx.lab.id, { type: 'post', id: post.id })]);
	const { body: _body, previewExpiresAt: _until, ...shown } = post;
	// The draft's own images are not public: the preview asks for them with its link.
	const imageQuery = `?preview=${encodeURIComponent(event.params.token)}`;
	const withImages = html.replace(/(\/journal\/images\/[0-9a-f-]{36})(?=")/g, `$1${imageQuery}`);
	return { post: shown, html: withImages, backlinks, origin: publicOrigin(), imageQuery };
};

// The public site is plain HTML: no script to download, nothing to hydrate.
export const csr = false;
