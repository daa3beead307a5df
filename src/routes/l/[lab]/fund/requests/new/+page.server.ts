import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm } from '$lib/server/http';
import { createRequest, fundOptions } from '$lib/server/fund/fund.service';
import { requestSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'fund.request');
	return { options: await fundOptions(getDb(), ctx), experimentId: event.url.searchParams.get('experiment') ?? '' };
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'fund.request');
		const parsed = await parseForm(event, requestSchema);
		if (!parsed.ok) return parsed.failure;
		let id: string;
		try {
			id = await createRequest(getDb(), ctx, parsed.data);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		redirect(303, `/l/${ctx.lab.slug}/fund/requests/${id}`);
	}
};
