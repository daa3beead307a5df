import { publicOrigin } from '$lib/server/env';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, rethrowAsHttp } from '$lib/server/http';
import { commenterData } from '$lib/server/journal/comments';

/** A commenter's comments in this lab as a JSON file, for the coordinator to send them (POST: the address stays out of URLs). */
export const POST: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'journal.commenters');
	const email = (await event.request.formData()).get('email');
	let data: Awaited<ReturnType<typeof commenterData>>;
	try {
		data = await commenterData(getDb(), ctx, typeof email === 'string' ? email : '');
	} catch (e) {
		rethrowAsHttp(e);
	}
	const body = {
		lab: ctx.lab.name,
		exportedAt: new Date().toISOString(),
		note: 'Commentaires laissés sur le journal avec cette adresse e-mail (qui n’est pas conservée : seule son empreinte l’est). / Comments left on the journal with this e-mail address (which is not kept: only its keyed hash is).',
		comments: data.comments.map((c) => ({
			post: c.post.title,
			url: `${publicOrigin()}/l/${ctx.lab.slug}/journal/${c.post.slug}`,
			date: c.createdAt,
			state: c.state,
			name: c.name,
			reply: c.parentId !== null,
			text: c.text
		}))
	};
	return new Response(JSON.stringify(body, null, 2), {
		headers: {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Disposition': `attachment; filename="commentaires-${ctx.lab.slug}.json"`,
			'Cache-Control': 'private, no-store'
		}
	});
};
