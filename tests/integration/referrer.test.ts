/**
 * Pages opened through a secret link send no Referer anywhere; the rest of the site keeps
 * `same-origin`. Checked through the server's own request handler (hooks.server.ts), so a page
 * that sets its own header is overridden exactly as in production.
 */
import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { handle } from '../../src/hooks.server';
import { referrerPolicyFor } from '../../src/lib/server/referrer';

async function policyOf(path: string, method = 'GET'): Promise<string | null> {
	const url = new URL(`http://labo.test${path}`);
	const event = {
		url,
		request: new Request(url, { method }),
		cookies: { get: () => undefined, set: () => undefined, delete: () => undefined, getAll: () => [], serialize: () => '' },
		locals: {},
		params: {},
		route: { id: null },
		setHeaders: () => undefined,
		getClientAddress: () => '192.0.2.1',
		isDataRequest: false,
		isSubRequest: false,
		platform: undefined,
		fetch
	} as unknown as RequestEvent;
	const response = await handle({ event, resolve: async () => new Response('ok', { headers: { 'Referrer-Policy': 'unsafe-url' } }) });
	return response.headers.get('Referrer-Policy');
}

const TOKEN_PAGES = [
	'/password/reset/abcDEF123-_',
	'/invitation/abcDEF123',
	'/l/paca/journal/preview/abcDEF1234567890abc',
	'/l/paca/journal/erase/aGFzaA.lz1.c2ln',
	'/l/paca/g/abcDEF1234567890abc',
	'/l/paca/network/join/abcDEF123',
	'/l/paca/network/answer/abcDEF123',
	'/l/paca/network/me/abcDEF123',
	'/l/paca/network/me/abcDEF123/data.json'
];

describe('Referrer-Policy', () => {
	it('is no-referrer on every page reached through a token, for reads and form posts', async () => {
		for (const p of TOKEN_PAGES) {
			expect(await policyOf(p), p).toBe('no-referrer');
			expect(await policyOf(p, 'POST'), `POST ${p}`).toBe('no-referrer');
		}
	});

	it('stays same-origin elsewhere', async () => {
		for (const p of ['/login', '/password/reset', '/l/paca/network', '/l/paca/network/me', '/l/paca/journal/admin', '/l/paca/events/x/groups']) {
			expect(referrerPolicyFor(p), p).toBe('same-origin');
			expect(await policyOf(p), p).toBe('same-origin');
		}
	});
});
