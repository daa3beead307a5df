import { publicOrigin } from '$lib/server/env';
import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, formValues, guardLab, httpError } from '$lib/server/http';
import type { LabContext } from '$lib/server/labs/labs.service';
import { publicPost } from '$lib/server/journal/posts.service';
import { postComment, publicComments } from '$lib/server/journal/comments';
import type { RequestEvent } from '@sveltejs/kit';
import type { FormFailure } from '$lib/shared/forms';

// Where the comment form posts (it works without JavaScript). A comment that is accepted goes
// back to the post; a refused one is answered here with the reason and everything typed kept.
// Opening this address directly leads to the post.

type Ctx = LabContext;

async function findPost(event: RequestEvent, ctx: Ctx) {
	const post = await publicPost(getDb(), ctx.lab, event.params.slug ?? '');
	if (!post || post.kind !== 'post') httpError(404, 'comment.postNotFound');
	return post;
}

/** A member of this lab signs with their account; anyone else comments as a visitor. */
const memberOf = (event: RequestEvent, ctx: Ctx) => (event.locals.user && ctx.role ? event.locals.user : null);

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	const postPath = `/l/${ctx.lab.slug}/journal/${event.params.slug}`;
	// Only the answer to a refused comment is shown here.
	if (event.request.method !== 'POST') redirect(303, postPath);
	const post = await findPost(event, ctx);
	const comments = await publicComments(getDb(), ctx.lab.id, post.id);
	event.setHeaders({ 'Cache-Control': 'private, no-store' });
	const member = memberOf(event, ctx);
	return {
		post: { slug: post.slug, title: post.title, series: post.series, episode: post.episode, open: post.commentsOpen },
		postPath,
		/** Top-level comments and the ids of their replies, to name the comment answered. */
		parents: comments.map((c) => ({ id: c.id, name: c.name, replies: c.replies.map((r) => r.id) })),
		member: member ? { name: member.name } : null,
		startedAt: Date.now()
	};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'lab.viewPublic');
		const post = await findPost(event, ctx);
		let form: FormData;
		try {
			form = await event.request.formData();
		} catch {
			return fail(400, { values: {}, errors: {}, message: { key: 'form.invalid' } } satisfies FormFailure);
		}
		const str = (k: string) => {
			const v = form.get(k);
			return typeof v === 'string' ? v : '';
		};
		// Sent back with a refusal: what the person typed (not the honeypot, nor the old time).
		const values = formValues(form, ['website', 'startedAt']);
		let res: { id: string; state: string };
		try {
			res = await postComment(
				getDb(),
				ctx.lab,
				{ id: post.id, slug: post.slug, comments_open: post.commentsOpen },
				{
					name: str('name'),
					email: str('email'),
					body: str('body'),
					parentId: str('parentId') || null,
					website: str('website'),
					startedAt: str('startedAt'),
					ip: event.getClientAddress()
				},
				memberOf(event, ctx),
				publicOrigin()
			);
		} catch (e) {
			return domainFailure(e, values);
		}
		const postPath = `/l/${ctx.lab.slug}/journal/${post.slug}`;
		redirect(303, res.state === 'approved' ? `${postPath}?comment=approved#comment-${res.id}` : `${postPath}?comment=pending#comments`);
	}
};
