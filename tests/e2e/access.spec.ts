import { expect, request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { baseURL } from '../../playwright.config';
import { DEMO, DEMO_PASSWORD, expectAccessible, login, test } from './helpers';

test('a partner cannot open coordinator pages; the refusal shows an error id', async ({ page }) => {
	await login(page, DEMO.partner);
	await page.goto('/l/paca');
	const labNav = page.getByRole('navigation', { name: 'Navigation du labo' });
	await expect(labNav.getByRole('link', { name: 'Connaissances' })).toBeVisible();
	for (const name of ['Administration', 'Membres', 'Historique des actions', 'Courriels envoyés'])
		await expect(labNav.getByRole('link', { name })).toHaveCount(0);
	for (const path of ['/l/paca/members', '/l/paca/audit', '/l/paca/outbox']) {
		const res = await page.goto(path);
		expect(res?.status(), path).toBe(403);
		await expect(page.getByRole('heading', { name: 'Accès refusé' })).toBeVisible();
		await expect(page.getByText(/Référence de l'erreur : [0-9A-F]{10}/)).toBeVisible();
		await expectAccessible(page);
	}
});

test('an unknown lab and an unknown page are 404 pages with an error id and no stack', async ({ page }) => {
	for (const path of ['/l/atlantide', '/nulle-part']) {
		const res = await page.goto(path);
		expect(res?.status()).toBe(404);
		await expect(page.getByRole('heading', { name: 'Page introuvable' })).toBeVisible();
		await expect(page.getByText(/Référence de l'erreur : [0-9A-F]{10}/)).toBeVisible();
		expect(await page.content()).not.toMatch(/at .*\.(js|ts):\d+/);
		await expectAccessible(page);
	}
});

test('an anonymous visitor sees the public face and is sent to log in for the workspace', async ({ page }) => {
	await page.goto('/');
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Labo PACA' }).click();
	// What the lab published: its journal, an experiment; nothing of the workspace.
	await expect(page.getByRole('heading', { name: 'Derniers billets du journal' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Lycée Claret : commander un service de design' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Membres' })).toHaveCount(0);
	await expectAccessible(page);
	await page.goto('/l/paca/members');
	await expect(page).toHaveURL(/\/login\?next=%2Fl%2Fpaca%2Fmembers/);
	await page.getByLabel('Adresse e-mail').fill(DEMO.resident);
	await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page).toHaveURL(/\/l\/paca\/members$/);
	// A resident sees the members, but not the invitation form.
	await expect(page.getByRole('heading', { name: 'Inviter une personne' })).toHaveCount(0);
});

test('the keyboard reaches the content through the skip link', async ({ page }) => {
	await page.goto('/login');
	await page.keyboard.press('Tab');
	const skip = page.getByRole('link', { name: 'Aller au contenu' });
	await expect(skip).toBeFocused();
	await page.keyboard.press('Enter');
	await page.keyboard.press('Tab');
	// The test servers offer single sign-on: its link comes first in the content, then the form.
	await expect(page.getByRole('link', { name: /^Se connecter avec / })).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(page.getByLabel('Adresse e-mail')).toBeFocused();
});

// The HTTP matrix: every role × every protected route and action, in its lab and in the other lab.
type Who = keyof typeof DEMO | 'anonymous';
const ROLES: Who[] = ['anonymous', 'coordinator', 'resident', 'referent', 'sponsor', 'partner'];
const MEMBERS_VIEW: Who[] = ['coordinator', 'resident', 'referent', 'sponsor'];
const COORD: Who[] = ['coordinator'];
const STAFF: Who[] = ['coordinator', 'resident'];
const MEMBERS: Who[] = ['coordinator', 'resident', 'referent', 'sponsor', 'partner'];
const UUID = '00000000-0000-4000-8000-000000000000';

const ROUTES: { method: 'GET' | 'POST'; path: string; form?: Record<string, string>; allowed: Who[] }[] = [
	{ method: 'GET', path: '/l/paca', allowed: ROLES },
	{ method: 'GET', path: '/l/paca/members', allowed: MEMBERS_VIEW },
	{ method: 'GET', path: '/l/paca/audit', allowed: COORD },
	{ method: 'GET', path: '/l/paca/outbox', allowed: COORD },
	{ method: 'GET', path: '/l/paca/network/me', allowed: MEMBERS },
	{ method: 'GET', path: '/l/paca/network/me/calls', allowed: MEMBERS },
	{ method: 'POST', path: '/l/paca/network/me/calls?/answer', form: { callId: UUID, answer: '' }, allowed: MEMBERS },
	{ method: 'GET', path: '/l/paca/network/calls', allowed: STAFF },
	{ method: 'GET', path: '/l/paca/network/skills', allowed: STAFF },
	{ method: 'GET', path: '/l/paca/network/dashboard', allowed: ['coordinator', 'resident', 'sponsor'] },
	{ method: 'GET', path: '/l/paca/network/import', allowed: COORD },
	{ method: 'GET', path: '/l/paca/journal', allowed: ROLES },
	{ method: 'GET', path: '/l/paca/journal/admin', allowed: STAFF },
	{ method: 'GET', path: '/l/paca/journal/moderation', allowed: STAFF },
	{ method: 'GET', path: '/l/paca/journal/commenters', allowed: COORD },
	{ method: 'GET', path: '/l/paca/journal/import', allowed: COORD },
	{ method: 'POST', path: '/l/paca/network/skills', form: { skills: 'x'.repeat(81) }, allowed: STAFF },
	// Allowed callers get past the policy to validation (400): nothing is written.
	{ method: 'POST', path: '/l/paca/members?/invite', form: { name: '', email: '', role: '' }, allowed: COORD },
	{ method: 'POST', path: '/l/paca/members?/role', form: { membershipId: 'x', role: 'partner' }, allowed: COORD },
	{ method: 'POST', path: '/l/paca/members?/remove', form: { membershipId: 'x' }, allowed: COORD },
	{ method: 'POST', path: '/l/paca/members?/revoke', form: { invitationId: 'x' }, allowed: COORD }
];

async function asRole(who: Who): Promise<APIRequestContext> {
	const ctx = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL, accept: 'text/html' } });
	if (who !== 'anonymous') {
		const res = await ctx.post('/login', { form: { email: DEMO[who], password: DEMO_PASSWORD }, maxRedirects: 0 });
		expect(res.status(), `login ${who}`).toBe(303);
	}
	return ctx;
}

for (const who of ROLES) {
	test(`HTTP policy matrix for ${who}`, async () => {
		const ctx = await asRole(who);
		for (const r of ROUTES) {
			for (const lab of ['paca', 'occitanie']) {
				const path = r.path.replace('/l/paca', `/l/${lab}`);
				const res = r.method === 'GET' ? await ctx.get(path, { maxRedirects: 0 }) : await ctx.post(path, { form: r.form, maxRedirects: 0 });
				// PACA's members have no role in Occitanie, except the demo coordinator who is a resident there.
				const roleThere: Who = lab === 'paca' ? who : who === 'coordinator' ? 'resident' : 'anonymous';
				const allowed = r.allowed.includes(roleThere);
				const expected = allowed ? (r.method === 'GET' ? 200 : 400) : who === 'anonymous' ? 303 : 403;
				expect(res.status(), `${who} ${r.method} ${path}`).toBe(expected);
			}
		}
		await ctx.dispose();
	});
}
