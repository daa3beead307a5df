import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab } from '$lib/server/http';
import { can } from '$lib/server/policy';
import { labStats } from '$lib/server/labs/labs.service';
import { publicFunding } from '$lib/server/fund/fund.service';
import { publicShowcase } from '$lib/server/journal/public-site';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	const stats = can(ctx.role, 'lab.viewWorkspace') ? await labStats(getDb(), ctx) : null;
	const [funded, showcase] = await Promise.all([stats ? [] : publicFunding(getDb(), ctx.lab.id), publicShowcase(getDb(), ctx.lab)]);
	return { stats, funded, showcase };
};
