import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab } from '$lib/server/http';
import { search } from '$lib/server/search/search.service';
import { searchFilterSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'search.use');
	const f = searchFilterSchema.parse(Object.fromEntries(event.url.searchParams));
	const filter = { q: f.q ?? '', type: f.type ?? '', tag: f.tag ?? '', status: f.status ?? '', from: f.from ?? '', to: f.to ?? '' };
	if (f.q === undefined) return { filter, result: null };
	const result = await search(getDb(), ctx, { q: f.q, types: f.type ? [f.type] : undefined, tag: f.tag, status: f.status, from: f.from, to: f.to, limit: 50 });
	return { filter, result };
};
