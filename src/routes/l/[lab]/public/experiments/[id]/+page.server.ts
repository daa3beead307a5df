import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, httpError } from '$lib/server/http';
import { publicExperiment } from '$lib/server/journal/public-site';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	const experiment = await publicExperiment(getDb(), ctx.lab, event.params.id);
	if (!experiment) httpError(404, 'experiment.notFound');
	return { experiment };
};

// The public site is plain HTML: no script to download, nothing to hydrate.
export const csr = false;
