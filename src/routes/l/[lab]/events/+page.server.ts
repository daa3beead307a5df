import { publicOrigin } from '$lib/server/env';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, pageParam } from '$lib/server/http';
import { EVENTS_PAGE_SIZE, listEvents } from '$lib/server/events/events.service';
import { issueCalendarToken } from '$lib/server/events/calendar';
import { eventFilterSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'events.view');
	const filter = eventFilterSchema.parse(Object.fromEntries(event.url.searchParams));
	const page = pageParam(event.url);
	return { ...(await listEvents(getDb(), ctx, { ...filter, page })), filter, page, pageSize: EVENTS_PAGE_SIZE, deleted: event.url.searchParams.has('deleted') };
};

export const actions: Actions = {
	calendar: async (event) => {
		const ctx = await guardLab(event, 'events.view');
		const token = await issueCalendarToken(getDb(), ctx);
		return { feedUrl: `${publicOrigin()}/l/${ctx.lab.slug}/calendar.ics?token=${token}` };
	}
};
