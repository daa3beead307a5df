import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab } from '$lib/server/http';
import { search } from '$lib/server/search/search.service';
import { searchFilterSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'search.use');
	const f = searchFilterSchema.parse(Object.fromEntries(event.url.searchParams));
	if (f.q === undefined) return { q: '', type: f.type ?? '', result: null };
	const result = await search(getDb(), ctx, { q: f.q, types: f.type ? [f.type] : undefined, limit: 50 });
	return { q: f.q, type: f.type ?? '', result };
};
