import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm } from '$lib/server/http';
import { createEvent } from '$lib/server/events/events.service';
import { eventSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async (event) => {
	await guardLab(event, 'events.edit');
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		const parsed = await parseForm(event, eventSchema);
		if (!parsed.ok) return parsed.failure;
		let id: string;
		try {
			id = await createEvent(getDb(), ctx, parsed.data);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		redirect(303, `/l/${ctx.lab.slug}/events/${id}`);
	}
};
