import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm, rethrowAsHttp } from '$lib/server/http';
import { getKnowledge, updateKnowledge } from '$lib/server/knowledge/knowledge.service';
import { knowledgeUpdateSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'knowledge.edit');
	try {
		const item = await getKnowledge(getDb(), ctx, event.params.id);
		return {
			item: { id: item.id, title: item.title },
			values: {
				type: item.type,
				title: item.title,
				body: item.body,
				tags: item.tags.join(', '),
				visibility: item.visibility,
				baseVersion: String(item.version)
			}
		};
	} catch (e) {
		rethrowAsHttp(e);
	}
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'knowledge.edit');
		const parsed = await parseForm(event, knowledgeUpdateSchema);
		if (!parsed.ok) return parsed.failure;
		const { baseVersion, ...input } = parsed.data;
		let version: number;
		try {
			version = await updateKnowledge(getDb(), ctx, event.params.id, baseVersion, input);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		redirect(303, `/l/${ctx.lab.slug}/knowledge/${event.params.id}?saved=${version}`);
	}
};
