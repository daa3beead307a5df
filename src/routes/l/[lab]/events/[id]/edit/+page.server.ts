import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm, rethrowAsHttp } from '$lib/server/http';
import { getEvent, updateEvent } from '$lib/server/events/events.service';
import { eventSchema } from '$lib/shared/schemas';
import { decisionsToText, participantsToText } from '$lib/shared/events';
import { isoToParis } from '$lib/shared/time';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'events.edit');
	try {
		const e = await getEvent(getDb(), ctx, event.params.id);
		return {
			event: { id: e.id, title: e.title },
			values: {
				kind: e.kind,
				title: e.title,
				startsAt: isoToParis(e.startsAt),
				endsAt: isoToParis(e.endsAt),
				place: e.place,
				onlineUrl: e.onlineUrl,
				description: e.description,
				agenda: e.agenda,
				minutes: e.minutes,
				participants: participantsToText(e.participantList),
				decisions: decisionsToText(e.decisions)
			}
		};
	} catch (e) {
		rethrowAsHttp(e);
	}
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'events.edit');
		const parsed = await parseForm(event, eventSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await updateEvent(getDb(), ctx, event.params.id, parsed.data);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		redirect(303, `/l/${ctx.lab.slug}/events/${event.params.id}?saved`);
	}
};
