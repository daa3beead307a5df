import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm } from '$lib/server/http';
import { createExperiment, lineageOptions } from '$lib/server/experiments/experiments.service';
import { experimentSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'experiments.edit');
	return { lineage: await lineageOptions(getDb(), ctx) };
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'experiments.edit');
		const parsed = await parseForm(event, experimentSchema);
		if (!parsed.ok) return parsed.failure;
		let id: string;
		try {
			id = await createExperiment(getDb(), ctx, parsed.data);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		redirect(303, `/l/${ctx.lab.slug}/experiments/${id}`);
	}
};
