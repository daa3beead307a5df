import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, pageParam } from '$lib/server/http';
import { can } from '$lib/server/policy';
import { DIRECTORY_PAGE_SIZE, listSkills } from '$lib/server/network/network.service';
import { erasureRequests, listDirectory, networkCounts } from '$lib/server/network/directory';
import { LEVELS, TERRITORIES } from '$lib/shared/network';
import { isIsoDay } from '$lib/shared/events';

const filterSchema = z.object({
	q: z.string().trim().max(100).optional().catch(undefined),
	skill: z.string().uuid().optional().catch(undefined),
	territory: z.enum(TERRITORIES).optional().catch(undefined),
	directorate: z.string().trim().max(200).optional().catch(undefined),
	level: z.enum(LEVELS).optional().catch(undefined),
	availableOn: z
		.string()
		.refine((v) => isIsoDay(v))
		.optional()
		.catch(undefined)
});

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'network.join');
	// Members who are not staff manage their own profile only.
	if (!can(ctx.role, 'network.view')) redirect(303, `/l/${ctx.lab.slug}/network/me`);
	const db = getDb();
	const raw = Object.fromEntries([...event.url.searchParams].filter(([, v]) => v !== ''));
	const filter = filterSchema.parse(raw);
	const [directory, skills, counts, erasures] = await Promise.all([
		listDirectory(db, ctx, { ...filter, page: pageParam(event.url) }),
		listSkills(db, ctx.lab.id),
		networkCounts(db, ctx.lab.id),
		can(ctx.role, 'network.erase') ? erasureRequests(db, ctx) : Promise.resolve([])
	]);
	return { directory, skills, counts, erasures, filter, page: pageParam(event.url), pageSize: DIRECTORY_PAGE_SIZE };
};
