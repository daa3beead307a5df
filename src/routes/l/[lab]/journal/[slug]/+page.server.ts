import { publicOrigin } from '$lib/server/env';
import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, httpError } from '$lib/server/http';
import { can } from '$lib/server/policy';
import { publicBacklinks, publicPost, publicPostById, renderPublicBody } from '$lib/server/journal/posts.service';
import { publicComments } from '$lib/server/journal/comments';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	const db = getDb();
	// Links inside the lab point at a post's id: answer with its address.
	if (UUID.test(event.params.slug)) {
		const found = await publicPostById(db, ctx.lab, event.params.slug);
		// A draft, for those who write: its editing page.
		if (!found && can(ctx.role, 'journal.write')) redirect(303, `/l/${ctx.lab.slug}/journal/admin/${event.params.slug}`);
		if (!found) httpError(404, 'journal.notFound');
		redirect(301, `/l/${ctx.lab.slug}/journal/${found.slug}`);
	}
	const post = await publicPost(db, ctx.lab, event.params.slug);
	if (!post) httpError(404, 'journal.notFound');
	const [html, comments, backlinks] = await Promise.all([
		renderPublicBody(db, ctx.lab, post.body),
		post.kind === 'post' ? publicComments(db, ctx.lab.id, post.id) : Promise.resolve([]),
		publicBacklinks(db, ctx.lab.id, { type: 'post', id: post.id })
	]);
	event.setHeaders({ 'Last-Modified': new Date(post.updatedAt).toUTCString() });
	const { body: _body, previewExpiresAt: _until, ...shown } = post;
	return {
		post: shown,
		html,
		comments,
		backlinks,
		startedAt: Date.now(),
		member: event.locals.user && ctx.role ? { name: event.locals.user.name } : null,
		canWrite: can(ctx.role, 'journal.write'),
		origin: publicOrigin()
	};
};

// The public site is plain HTML: no script to download, nothing to hydrate.
export const csr = false;
