import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, rethrowAsHttp } from '$lib/server/http';
import { allEvents, getEvent } from '$lib/server/events/events.service';
import { toICalendar } from '$lib/server/events/calendar';

export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'events.view');
	try {
		await getEvent(getDb(), ctx, event.params.id);
	} catch (e) {
		rethrowAsHttp(e);
	}
	const row = (await allEvents(getDb(), ctx.lab.id)).filter((e) => e.id === event.params.id);
	return new Response(toICalendar(ctx.lab, row, event.url.origin), {
		headers: { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': `attachment; filename="evenement-${event.params.id.slice(0, 8)}.ics"` }
	});
};
