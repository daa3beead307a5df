import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab } from '$lib/server/http';
import { listSpecs } from '$lib/server/specs/specs.service';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'specs.view');
	return { specs: await listSpecs(getDb(), ctx) };
};
