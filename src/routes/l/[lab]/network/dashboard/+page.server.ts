import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab } from '$lib/server/http';
import { networkDashboard } from '$lib/server/network/dashboard';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'network.dashboard');
	const now = new Date();
	const y = Number(event.url.searchParams.get('year'));
	const year = Number.isInteger(y) && y >= 2000 && y <= now.getUTCFullYear() + 1 ? y : now.getUTCFullYear();
	return { dashboard: await networkDashboard(getDb(), ctx, year, now), thisYear: now.getUTCFullYear() };
};
