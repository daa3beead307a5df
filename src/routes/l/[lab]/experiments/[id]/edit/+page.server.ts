import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm, rethrowAsHttp } from '$lib/server/http';
import { getExperiment, lineageOptions, updateExperiment } from '$lib/server/experiments/experiments.service';
import { experimentSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'experiments.edit');
	try {
		const x = await getExperiment(getDb(), ctx, event.params.id);
		return {
			experiment: { id: x.id, title: x.title },
			lineage: (await lineageOptions(getDb(), ctx)).filter((o) => o.value !== `experiment:${x.id}`),
			values: {
				title: x.title,
				scenario: x.scenario,
				summary: x.summary,
				sponsor: x.sponsor,
				operator: x.operator,
				partners: x.partners,
				lineage: x.lineage ? `${x.lineage.type}:${x.lineage.id}` : '',
				conclusions: x.conclusions
			}
		};
	} catch (e) {
		rethrowAsHttp(e);
	}
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'experiments.edit');
		const parsed = await parseForm(event, experimentSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await updateExperiment(getDb(), ctx, event.params.id, parsed.data);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		redirect(303, `/l/${ctx.lab.slug}/experiments/${event.params.id}?saved`);
	}
};
