import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab } from '$lib/server/http';
import { experimentTimeline } from '$lib/server/experiments/experiments.service';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'experiments.view');
	return { entries: await experimentTimeline(getDb(), ctx) };
};
