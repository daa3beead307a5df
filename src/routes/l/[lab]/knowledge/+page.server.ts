import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, pageParam } from '$lib/server/http';
import { KNOWLEDGE_PAGE_SIZE, listKnowledge } from '$lib/server/knowledge/knowledge.service';
import { knowledgeFilterSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'knowledge.view');
	const filter = knowledgeFilterSchema.parse(Object.fromEntries(event.url.searchParams));
	const page = pageParam(event.url);
	return { ...(await listKnowledge(getDb(), ctx, { ...filter, page })), filter, page, pageSize: KNOWLEDGE_PAGE_SIZE };
};
