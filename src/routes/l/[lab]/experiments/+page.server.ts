import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab } from '$lib/server/http';
import { listExperiments } from '$lib/server/experiments/experiments.service';
import { experimentFilterSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'experiments.view');
	const filter = experimentFilterSchema.parse(Object.fromEntries(event.url.searchParams));
	return { experiments: await listExperiments(getDb(), ctx, filter), filter };
};
