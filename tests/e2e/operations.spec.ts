import http from 'node:http';
import { expect, test } from '@playwright/test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { baseURL } from '../../playwright.config';
import { expectAccessible } from './helpers';

const target = new URL(baseURL);

/** A raw POST, streamed in chunks (no Content-Length) or declared, as a client could send it. */
function rawPost(path: string, size: number, chunked: boolean): Promise<number> {
	return new Promise((resolve, reject) => {
		const body = Buffer.from('a='.padEnd(size, 'x'));
		const req = http.request(
			{
				host: target.hostname,
				port: target.port,
				path,
				method: 'POST',
				headers: {
					'Content-Type': 'application/x-www-form-urlencoded',
					Origin: target.origin,
					...(chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(body.length) })
				}
			},
			(res) => {
				res.resume();
				resolve(res.statusCode ?? 0);
			}
		);
		// The server may answer and close before the whole body is sent: that is the point.
		req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
		for (let at = 0; at < body.length; at += 16 * 1024) req.write(body.subarray(at, at + 16 * 1024));
		req.end();
	});
}

test('an anonymous POST above 64 KB is refused, declared or streamed in chunks; a small one goes through', async () => {
	expect(await rawPost('/password/forgot', 200 * 1024, false)).toBe(413);
	expect(await rawPost('/password/forgot', 200 * 1024, true)).toBe(413);
	// A normal-sized anonymous form still reaches its action (which asks for a valid e-mail).
	const small = await rawPost('/password/forgot', 2 * 1024, true);
	expect(small).not.toBe(413);
	expect(small).toBeLessThan(500);
});

test('health, readiness and metrics answer for the operator', async ({ request }) => {
	const health = await request.get('/healthz');
	expect(health.status()).toBe(200);
	const ready = await request.get('/readyz');
	expect(ready.status()).toBe(200);
	expect(await ready.json()).toEqual({ status: 'ok', database: 'ok', pendingMigrations: [] });

	await request.get('/l/paca');
	const metrics = await request.get('/metrics');
	expect(metrics.status()).toBe(200);
	const text = await metrics.text();
	const names = new Set(parsePrometheusTextFormat(text).map((f) => f.name));
	for (const n of [
		'labo_http_request_duration_seconds',
		'labo_db_query_duration_seconds',
		'labo_outbox_messages',
		'labo_jobs_running',
		'labo_process_resident_memory_bytes'
	])
		expect(names, n).toContain(n);
	// Routes are labelled by their pattern, never by the raw path (bounded label values).
	expect(text).toContain('route="/l/[lab]"');
	expect(text).not.toContain('route="/l/paca"');
});

test('the error page shows the request id that the response and the log carry', async ({ page }) => {
	const res = await page.goto('/nulle-part');
	expect(res?.status()).toBe(404);
	const id = res?.headers()['x-request-id'];
	expect(id).toMatch(/^[0-9A-F]{10}$/);
	await expect(page.getByText(`Référence de l'erreur : ${id}`)).toBeVisible();
	await expectAccessible(page);
});
