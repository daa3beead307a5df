import { publicOrigin } from '$lib/server/env';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab } from '$lib/server/http';
import { atomFeed } from '$lib/server/journal/feeds';

export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	const { xml, updated } = await atomFeed(getDb(), ctx.lab, publicOrigin(), event.params.series);
	return new Response(xml, { headers: { 'Content-Type': 'application/atom+xml; charset=utf-8', 'Last-Modified': new Date(updated).toUTCString() } });
};
