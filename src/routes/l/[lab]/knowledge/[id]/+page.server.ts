import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, rethrowAsHttp } from '$lib/server/http';
import { getKnowledge } from '$lib/server/knowledge/knowledge.service';
import { testsOfKnowledge } from '$lib/server/experiments/experiments.service';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'knowledge.view');
	try {
		const item = await getKnowledge(getDb(), ctx, event.params.id);
		return {
			item,
			tests: await testsOfKnowledge(getDb(), ctx, item.id),
			created: event.url.searchParams.has('created'),
			saved: event.url.searchParams.get('saved')
		};
	} catch (e) {
		rethrowAsHttp(e);
	}
};
