import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, httpError } from '$lib/server/http';
import { publicKnowledge } from '$lib/server/journal/public-site';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	const item = await publicKnowledge(getDb(), ctx.lab, event.params.id);
	if (!item) httpError(404, 'knowledge.notFound');
	return { item };
};

// The public site is plain HTML: no script to download, nothing to hydrate.
export const csr = false;
