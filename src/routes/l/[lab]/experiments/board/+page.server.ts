import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm } from '$lib/server/http';
import { listExperiments, moveExperiment } from '$lib/server/experiments/experiments.service';
import { moveSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'experiments.view');
	return { experiments: await listExperiments(getDb(), ctx) };
};

export const actions: Actions = {
	move: async (event) => {
		const ctx = await guardLab(event, 'experiments.edit');
		const parsed = await parseForm(event, moveSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await moveExperiment(getDb(), ctx, parsed.data.experimentId, parsed.data.from, parsed.data.to);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		return { moved: { id: parsed.data.experimentId, to: parsed.data.to } };
	}
};
