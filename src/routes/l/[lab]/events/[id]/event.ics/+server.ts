import { publicOrigin } from '$lib/server/env';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, rethrowAsHttp } from '$lib/server/http';
import { eventCalendar } from '$lib/server/events/calendar';

export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'events.view');
	try {
		return new Response(await eventCalendar(getDb(), ctx, event.params.id, publicOrigin()), {
			headers: { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': `attachment; filename="evenement-${event.params.id.slice(0, 8)}.ics"` }
		});
	} catch (e) {
		rethrowAsHttp(e);
	}
};
