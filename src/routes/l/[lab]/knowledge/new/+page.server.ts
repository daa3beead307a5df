import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm } from '$lib/server/http';
import { createKnowledge } from '$lib/server/knowledge/knowledge.service';
import { knowledgeSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async (event) => {
	await guardLab(event, 'knowledge.edit');
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'knowledge.edit');
		const parsed = await parseForm(event, knowledgeSchema);
		if (!parsed.ok) return parsed.failure;
		let id: string;
		try {
			id = await createKnowledge(getDb(), ctx, parsed.data);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		redirect(303, `/l/${ctx.lab.slug}/knowledge/${id}?created`);
	}
};
