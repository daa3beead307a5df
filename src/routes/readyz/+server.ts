import { getDb } from '$lib/server/db';
import { readiness } from '$lib/server/health';
import { log } from '$lib/server/log';
import type { RequestHandler } from './$types';

/** Ready for traffic: the database answers and its migrations are current; 503 otherwise. */
export const GET: RequestHandler = async () => {
	const r = await readiness(getDb());
	if (!r.ready) log.warn('health.notReady', { database: r.database, pendingMigrations: r.pendingMigrations, error: r.error });
	return new Response(JSON.stringify({ status: r.ready ? 'ok' : 'unavailable', database: r.database, pendingMigrations: r.pendingMigrations }), {
		status: r.ready ? 200 : 503,
		headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }
	});
};
