import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm } from '$lib/server/http';
import { createCall } from '$lib/server/network/calls.service';
import { listSkills } from '$lib/server/network/network.service';
import { pastEventCount, upcomingEventChoices } from '$lib/server/events/events.service';
import { LEVELS } from '$lib/shared/network';
import { isIsoDay } from '$lib/shared/events';
import { parisToIso } from '$lib/shared/time';

const callSchema = z.object({
	eventId: z.string().uuid(),
	needed: z.coerce.number().int().min(1).max(100),
	minLevel: z.enum(LEVELS),
	deadline: z.string().refine(isIsoDay),
	message: z.string().trim().max(2000).default(''),
	pairNovices: z.literal('on').optional()
});

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'network.manage');
	const db = getDb();
	// One instant for both counts: what is offered and what is left out agree.
	const now = new Date().toISOString();
	const [events, pastEvents, skills] = await Promise.all([upcomingEventChoices(db, ctx, now), pastEventCount(db, ctx, now), listSkills(db, ctx.lab.id)]);
	return { events, pastEvents, skills, eventId: event.url.searchParams.get('event') ?? '' };
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'network.manage');
		const parsed = await parseForm(event, callSchema);
		if (!parsed.ok) return parsed.failure;
		const skills = parsed.form.getAll('skills').map(String);
		const values = { ...parsed.values, skills: skills.join(',') };
		let id: string;
		try {
			id = await createCall(getDb(), ctx, {
				eventId: parsed.data.eventId,
				needed: parsed.data.needed,
				minLevel: parsed.data.minLevel,
				skills,
				deadline: parisToIso(`${parsed.data.deadline}T23:59`),
				message: parsed.data.message,
				pairNovices: parsed.data.pairNovices === 'on'
			});
		} catch (e) {
			return domainFailure(e, values);
		}
		redirect(303, `/l/${ctx.lab.slug}/network/calls/${id}`);
	}
};
