import { publicOrigin } from '$lib/server/env';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { getLabContext, httpError } from '$lib/server/http';
import { labFeed } from '$lib/server/events/calendar';

/** The lab's calendar feed, read by calendar applications with a personal token (no cookie). */
export const GET: RequestHandler = async (event) => {
	const ctx = await getLabContext(event);
	const ics = await labFeed(getDb(), ctx.lab, event.url.searchParams.get('token') ?? '', publicOrigin());
	if (ics === null) httpError(404, 'error.notFound');
	return new Response(ics, { headers: { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, max-age=300' } });
};
