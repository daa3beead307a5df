import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab } from '$lib/server/http';
import { listCalls } from '$lib/server/network/calls.service';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'network.manage');
	return { calls: await listCalls(getDb(), ctx) };
};
