import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { getLabContext, httpError } from '$lib/server/http';
import { allEvents } from '$lib/server/events/events.service';
import { checkCalendarToken, toICalendar } from '$lib/server/events/calendar';

/** The lab's calendar feed, read by calendar applications with a personal token (no cookie). */
export const GET: RequestHandler = async (event) => {
	const ctx = await getLabContext(event);
	const token = event.url.searchParams.get('token') ?? '';
	if (!token || !(await checkCalendarToken(getDb(), ctx.lab.id, token))) httpError(404, 'error.notFound');
	return new Response(toICalendar(ctx.lab, await allEvents(getDb(), ctx.lab.id), event.url.origin), {
		headers: { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, max-age=300' }
	});
};
