import { env } from '$lib/server/env';
import { metricsAllowed } from '$lib/server/health';
import { renderMetrics } from '$lib/server/metrics';
import type { RequestHandler } from './$types';

/** Prometheus text format; with METRICS_TOKEN set, only with `Authorization: Bearer <token>`. */
export const GET: RequestHandler = async ({ request }) => {
	if (!metricsAllowed(env().METRICS_TOKEN, request.headers.get('authorization')))
		return new Response('Unauthorized\n', { status: 401, headers: { 'WWW-Authenticate': 'Bearer', 'Cache-Control': 'no-store' } });
	const { body, contentType } = await renderMetrics();
	return new Response(body, { headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } });
};
