import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { listLabs } from '$lib/server/labs/labs.service';

export const load: PageServerLoad = async () => {
	return { labs: await listLabs(getDb()) };
};
