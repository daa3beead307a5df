import type { RequestHandler } from './$types';

/** The process answers (liveness): no database call, so a slow database never restarts servers. */
export const GET: RequestHandler = () => new Response('ok\n', { headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
