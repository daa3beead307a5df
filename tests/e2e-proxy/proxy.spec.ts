/**
 * Labo behind nginx terminating TLS, configured as deploy/ ships it: secure cookies and HSTS,
 * the client address from X-Forwarded-For at depth 1 only, forged Host headers and open
 * redirects refused, mailed links on ORIGIN.
 */
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { loginLimitKeys } from '../../src/lib/server/auth/limit-keys';
import { ADMIN, DATA_DIR, HTTP_PORT, LAB, LOCKED, MAIL_DIR, NGINX_BIND, ORIGIN, PASSWORD, PROXY_PORT } from './env';

const EVIL = ['/\t/evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '%2F%2Fevil.example', '/%5Cevil.example', 'https://evil.example'];

/** A redirect target as a browser resolves it (tabs dropped, "\" read as "/") must stay on ORIGIN. */
function expectSameOrigin(location: string | undefined, variant: string): void {
	expect(location, `no redirect for ${JSON.stringify(variant)}`).toBeTruthy();
	const target = new URL(location!, ORIGIN + '/login');
	expect(target.origin, `${JSON.stringify(variant)} → ${JSON.stringify(location)}`).toBe(ORIGIN);
	expect(target.href).not.toContain('evil.example');
}

async function loginPage(page: Page, email: string, url = '/login'): Promise<void> {
	await page.goto(url);
	await page.locator('html[data-ready]').waitFor({ state: 'attached' });
	await page.getByLabel('Adresse e-mail').fill(email);
	await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page).not.toHaveURL(/\/login/);
}

/**
 * A form POST as a browser without JavaScript sends it: from ORIGIN (SvelteKit checks the Origin
 * header), asking for HTML (otherwise a form action answers JSON, always 200).
 */
function postForm(request: APIRequestContext, url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
	return request.post(url, { form, headers: { origin: ORIGIN, accept: 'text/html', ...headers }, maxRedirects: 0 });
}

/** A raw https request, so the Host header can be anything. */
function rawGet(pathname: string, headers: Record<string, string>): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = https.request(
			{ host: '127.0.0.1', port: PROXY_PORT, path: pathname, method: 'GET', headers, rejectUnauthorized: false, servername: '127.0.0.1' },
			(res) => {
				res.resume();
				resolve(res.statusCode ?? 0);
			}
		);
		req.on('error', reject);
		req.end();
	});
}

test('over https the session cookie is Secure and __Host- prefixed, and HSTS is sent', async ({ page, context }) => {
	const res = await page.goto('/login');
	expect(res?.headers()['strict-transport-security']).toMatch(/max-age=\d{7,}/);
	await loginPage(page, ADMIN);
	await expect(page).toHaveURL(`${ORIGIN}/l/${LAB}`);
	const session = (await context.cookies()).filter((c) => /session/.test(c.name));
	expect(session.map((c) => c.name)).toEqual(['__Host-labo_session']);
	expect(session[0]).toMatchObject({ secure: true, httpOnly: true, path: '/', sameSite: 'Lax' });
	// __Host- cookies carry no Domain: the browser scopes them to this exact host.
	expect(session[0]!.domain).toBe('127.0.0.1');
});

test('plain http is redirected to https on ORIGIN', async ({ request }) => {
	const res = await request.get(`http://127.0.0.1:${HTTP_PORT}/login?next=%2Fl%2F${LAB}`, { maxRedirects: 0 });
	expect(res.status()).toBe(301);
	expect(res.headers().location).toBe(`${ORIGIN}/login?next=%2Fl%2F${LAB}`);
});

test('build assets are cached for a year, once', async ({ request }) => {
	const html = await (await request.get('/login')).text();
	const asset = /\/_app\/immutable\/[^"']+\.js/.exec(html)?.[0];
	expect(asset).toBeTruthy();
	const res = await request.get(asset!);
	expect(res.status()).toBe(200);
	expect(
		res
			.headersArray()
			.filter((h) => h.name.toLowerCase() === 'cache-control')
			.map((h) => h.value)
	).toEqual(['public, max-age=31536000, immutable']);
});

test('the client address is the one nginx saw, whatever X-Forwarded-For the client forged', async ({ request }) => {
	// Five failures, each claiming another address: all are counted against the one real client.
	for (let i = 1; i <= 5; i++) {
		const res = await postForm(request, '/login', { email: LOCKED, password: 'not-the-password' }, { 'X-Forwarded-For': `203.0.113.${i}` });
		expect([400, 429]).toContain(res.status());
	}
	// Right password, yet another forged address: still cooling down.
	const locked = await postForm(request, '/login', { email: LOCKED, password: PASSWORD }, { 'X-Forwarded-For': '198.51.100.7' });
	expect(locked.status()).toBe(429);
	expect(await locked.text()).toContain('Trop de tentatives');

	// What the app counted per address: the one nginx appended (the browser's, 127.0.0.1), never a
	// forged one nor the address nginx connects from (the socket's peer). Keys hold a hash of the
	// address group, as the app computes them.
	const addressKey = (ip: string) => loginLimitKeys(LOCKED, ip).address;
	const db = new SQLite(path.join(DATA_DIR, 'labo.sqlite'), { readonly: true, fileMustExist: true });
	try {
		const rows = db.prepare("select key, count from rate_limit where key like 'login-address:%'").all() as { key: string; count: number }[];
		const counted = new Map(rows.map((r) => [r.key, Number(r.count)]));
		expect(counted.get(addressKey('127.0.0.1'))).toBeGreaterThanOrEqual(5);
		for (const ip of ['203.0.113.1', '203.0.113.5', '198.51.100.7', NGINX_BIND]) expect(counted.has(addressKey(ip)), ip).toBe(false);
	} finally {
		db.close();
	}
});

test('a request for another host is refused with 400', async () => {
	expect(await rawGet('/login', { host: `127.0.0.1:${PROXY_PORT}` })).toBe(200);
	for (const host of ['evil.example', `evil.example:${PROXY_PORT}`, `127.0.0.1.evil.example:${PROXY_PORT}`, `127.0.0.1:${PROXY_PORT + 1}`])
		expect(await rawGet('/login', { host }), host).toBe(400);
});

test('no /login?next= variant leads off ORIGIN, before or after logging in', async ({ request, playwright }) => {
	for (const v of EVIL) {
		// Typed into the address bar as is, and percent-encoded as a link would carry it.
		for (const next of [v, encodeURIComponent(v)]) {
			const res = await postForm(request, `/login?next=${next}`, { email: ADMIN, password: PASSWORD });
			expect(res.status(), `${JSON.stringify(next)}: ${await res.text().catch(() => '')}`).toBe(303);
			expectSameOrigin(res.headers().location, next);
		}
	}
	// Logged in, /login sends straight to `next`.
	const logged = await playwright.request.newContext({ baseURL: ORIGIN, ignoreHTTPSErrors: true });
	try {
		expect((await postForm(logged, '/login', { email: ADMIN, password: PASSWORD })).status()).toBe(303);
		for (const v of EVIL)
			for (const next of [v, encodeURIComponent(v)]) {
				const res = await logged.get(`/login?next=${next}`, { maxRedirects: 0 });
				expect(res.status()).toBe(303);
				expectSameOrigin(res.headers().location, next);
			}
	} finally {
		await logged.dispose();
	}
});

test('in Chromium, the tab trick in next= stays on ORIGIN', async ({ page }) => {
	await loginPage(page, ADMIN, '/login?next=%2F%09%2Fevil.example');
	expect(new URL(page.url()).origin).toBe(ORIGIN);
});

test('no redirectTo variant of the language form leads off ORIGIN', async ({ request }) => {
	for (const v of EVIL) {
		const res = await postForm(request, '/locale', { locale: 'en', redirectTo: v });
		expect(res.status()).toBe(303);
		expectSameOrigin(res.headers().location, v);
	}
});

test('the password-reset link in the mail starts with ORIGIN', async ({ page }) => {
	const since = Date.now();
	await page.goto('/password/forgot');
	await page.locator('html[data-ready]').waitFor({ state: 'attached' });
	await page.getByLabel('Adresse e-mail').fill(ADMIN);
	await page.getByRole('button', { name: 'Recevoir le lien' }).click();
	await expect(page.getByText('un courriel vient de partir')).toBeVisible();
	let text = '';
	await expect
		.poll(
			() => {
				const files = fs.readdirSync(MAIL_DIR).filter((f) => f.endsWith('.json') && Number(f.split('-')[0]) >= since - 1000);
				const mail = files.map((f) => JSON.parse(fs.readFileSync(path.join(MAIL_DIR, f), 'utf8')) as { to: string; text: string }).find((m) => m.to === ADMIN);
				text = mail?.text ?? '';
				return Boolean(mail);
			},
			{ timeout: 20_000 }
		)
		.toBe(true);
	const links = text.match(/https?:\/\/\S+/g) ?? [];
	const reset = links.find((l) => l.includes('/password/reset/'));
	expect(reset, text).toBeTruthy();
	expect(reset!.startsWith(`${ORIGIN}/password/reset/`)).toBe(true);
	// And it works through the proxy.
	await page.goto(reset!);
	await expect(page.getByRole('heading', { name: 'Choisir un nouveau mot de passe' })).toBeVisible();
});

test("health and readiness answer through the proxy, each request carrying nginx's id", async ({ request }) => {
	expect((await request.get('/healthz')).status()).toBe(200);
	const ready = await request.get('/readyz');
	expect(ready.status()).toBe(200);
	// nginx's $request_id (32 hex digits), passed on as X-Request-Id and echoed by the app.
	const ids = await Promise.all([request.get('/login'), request.get('/login')]).then((r) => r.map((x) => x.headers()['x-request-id']));
	for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
	expect(ids[0]).not.toBe(ids[1]);
});
