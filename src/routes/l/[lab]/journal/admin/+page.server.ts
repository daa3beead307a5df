import { z } from 'zod';
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, pageParam } from '$lib/server/http';
import { listAllPosts } from '$lib/server/journal/posts.service';
import { POST_STATES } from '$lib/shared/journal';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'journal.write');
	const state = z
		.enum(POST_STATES)
		.optional()
		.catch(undefined)
		.parse(event.url.searchParams.get('state') || undefined);
	return { posts: await listAllPosts(getDb(), ctx, { state, page: pageParam(event.url) }), state: state ?? '', page: pageParam(event.url) };
};
