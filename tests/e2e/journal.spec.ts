import { expect, type Browser } from '@playwright/test';
import { DEMO, open, expectAccessible, login, logout, test } from './helpers';

/** A Paris wall-clock time `ms` from now, with seconds, for a datetime-local field. */
function parisLocal(ms: number): string {
	const parts = new Intl.DateTimeFormat('sv-SE', {
		timeZone: 'Europe/Paris',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		hourCycle: 'h23'
	}).format(new Date(Date.now() + ms));
	return parts.replace(' ', 'T');
}

async function visitor(browser: Browser) {
	const ctx = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
	return { ctx, page: await ctx.newPage() };
}

test('a post is written, scheduled, appears at its time, is commented by a visitor, moderated and in the feed', async ({ page, browser }) => {
	test.setTimeout(150_000);
	await login(page, DEMO.resident);
	await open(page, '/l/paca/journal/admin/new');
	await expectAccessible(page);
	await page.getByLabel('Titre', { exact: true }).fill('mobiliser les agents volontaires');
	await page.getByLabel('Série', { exact: true }).fill('Semaine');
	await page.getByLabel('Numéro', { exact: true }).fill('11.1');
	await page.getByLabel('Chapeau').fill('Le réseau de référents prend forme.');
	await page
		.getByLabel('Texte (markdown)')
		.fill('Suite de [[Semaine 9.2]] : le réseau de référents prend forme.\n\nLes volontaires se signalent auprès du labo.');
	await page.getByLabel('Mots-clés').fill('réseau, mobilisation');
	await page.getByRole('button', { name: 'Créer le brouillon' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Brouillon créé' })).toBeVisible();
	await expect(page.getByRole('heading', { level: 1, name: 'Semaine 11.1 : mobiliser les agents volontaires' })).toBeVisible();
	await expectAccessible(page);

	// Reviewers read the draft through its preview link, without an account.
	// The link is issued on demand and shown once.
	await page.getByRole('button', { name: 'Créer un nouveau lien d’aperçu' }).click();
	const preview = await page.getByRole('link', { name: /\/journal\/preview\// }).getAttribute('href');
	const anon = await visitor(browser);
	await open(anon.page, preview!);
	await expect(anon.page.getByText(/Aperçu d’un billet non publié \(brouillon\)/)).toBeVisible();

	// Scheduled twenty seconds ahead: not there before, there after.
	await page.getByLabel('Publier le (heure de Paris)').fill(parisLocal(20_000));
	await page.getByRole('button', { name: 'Programmer' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Publication programmée.' })).toBeVisible();
	await open(anon.page, '/l/paca/journal');
	await expect(anon.page.getByRole('link', { name: /Semaine 11\.1/ })).toHaveCount(0);
	await expect
		.poll(
			async () => {
				await anon.page.reload();
				return anon.page.getByRole('link', { name: /Semaine 11\.1/ }).count();
			},
			{ timeout: 60_000, intervals: [2_000] }
		)
		.toBe(1);
	await anon.page.getByRole('link', { name: /Semaine 11\.1/ }).click();
	await expect(anon.page.getByRole('heading', { level: 1, name: 'mobiliser les agents volontaires' })).toBeVisible();
	await expect(anon.page.getByRole('link', { name: 'Semaine 9.2' })).toHaveAttribute('href', '/l/paca/journal/semaine-9-2-preparer-la-construction-du-labo');
	await expectAccessible(anon.page);
	const postUrl = anon.page.url();

	// A visitor who sends too fast is told why, and keeps the text.
	await anon.page.getByLabel('Nom', { exact: true }).fill('Nadia Visiteuse');
	await anon.page.getByLabel('Adresse e-mail').fill('nadia@exemple.fr');
	await anon.page.getByLabel('Commentaire', { exact: true }).fill('Comment rejoindre le réseau quand on travaille dans un lycée ?');
	// The form says when it was shown; a loaded machine may take seconds to fill it, so the
	// moment is set to now: the send is then as fast as a robot's, whatever the machine.
	await anon.page.locator('#comment-form input[name="startedAt"]').evaluate((el: HTMLInputElement) => (el.value = String(Date.now())));
	await anon.page.getByRole('button', { name: 'Envoyer le commentaire' }).click();
	await expect(anon.page.getByText(/envoyé trop vite/).first()).toBeVisible();
	await expect(anon.page.getByLabel('Commentaire', { exact: true })).toHaveValue('Comment rejoindre le réseau quand on travaille dans un lycée ?');
	await anon.page.waitForTimeout(3_500);
	await anon.page.getByRole('button', { name: 'Envoyer le commentaire' }).click();
	await expect(anon.page.getByRole('status').filter({ hasText: 'sera publié après relecture' })).toBeVisible();

	// The resident moderates it.
	await open(page, '/l/paca/journal/moderation');
	await expectAccessible(page);
	await page.getByRole('button', { name: /Approuver — .*Nadia Visiteuse/ }).click();
	await expect(page.getByText('Nadia Visiteuse')).toHaveCount(0);
	await logout(page);

	await open(anon.page, postUrl);
	await expect(anon.page.locator('#comments')).toContainText('Comment rejoindre le réseau quand on travaille dans un lycée ?');

	// The Atom feed carries the post; a browser that has the page gets a 304.
	const feed = await anon.page.request.get('/l/paca/journal/feed.atom');
	expect(feed.headers()['content-type']).toContain('application/atom+xml');
	expect(await feed.text()).toContain('<title>Semaine 11.1 : mobiliser les agents volontaires</title>');
	const first = await anon.page.request.get(postUrl);
	const etag = first.headers()['etag'];
	expect(etag).toBeTruthy();
	const again = await anon.page.request.get(postUrl, { headers: { 'if-none-match': etag! } });
	expect(again.status()).toBe(304);
	await anon.ctx.close();
});

test('the public site works without JavaScript and shows the demo series with its comments', async ({ browser }) => {
	const ctx = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false });
	const page = await ctx.newPage();
	await page.goto('/l/paca');
	await expect(page.getByRole('heading', { name: 'Derniers billets du journal' })).toBeVisible();
	await page.getByRole('link', { name: 'Semaine 9.2 : préparer la construction du labo' }).first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'préparer la construction du labo' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Semaine 7.2' })).toBeVisible();
	await expect(page.locator('#comments')).toContainText('Martine (Direction de la culture)');
	await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', 'Semaine 9.2 : préparer la construction du labo');
	await page.getByRole('link', { name: 'Semaine', exact: true }).first().click();
	await expect(page.getByRole('heading', { level: 1, name: 'Série « Semaine »' })).toBeVisible();
	const sitemap = await page.request.get('/l/paca/sitemap.xml');
	expect(await sitemap.text()).toContain('/l/paca/journal/semaine-9-2-preparer-la-construction-du-labo');
	await ctx.close();
});
