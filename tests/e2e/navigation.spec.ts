import { expect, type Locator, type Page } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, expectAccessible, login, open, test } from './helpers';

const PHONE = { width: 390, height: 844 };
const labNav = (page: Page) => page.getByRole('navigation', { name: 'Navigation du labo' });
const sectionPages = (page: Page, section: string) => page.getByRole('navigation', { name: `Pages de la rubrique ${section}` });
const h1 = (page: Page) => page.getByRole('heading', { level: 1 });

/** The top of the page's title lies within the first screen. */
async function expectTitleInFirstScreen(page: Page): Promise<void> {
	await expect(h1(page)).toBeVisible();
	const box = await h1(page).boundingBox();
	const height = page.viewportSize()!.height;
	expect(box, 'h1 position').not.toBeNull();
	expect(box!.y + box!.height, `h1 bottom on ${page.url()}`).toBeLessThanOrEqual(height);
}

/** Only `link` carries aria-current among `links`, with the given value. */
async function expectOnlyCurrent(links: Locator, link: Locator, value: 'page' | 'true'): Promise<void> {
	await expect(link).toHaveAttribute('aria-current', value);
	await expect(links.and(links.page().locator('[aria-current]'))).toHaveCount(1);
}

// What a coordinator sees: each section, and the pages of those that have several.
const COORDINATOR: { section: string; pages: [string, RegExp, string][] }[] = [
	{ section: 'Accueil', pages: [['Accueil', /\/l\/paca$/, 'Labo PACA']] },
	{
		section: 'Ateliers',
		pages: [
			['Événements', /\/l\/paca\/events$/, 'Événements'],
			['Connaissances', /\/l\/paca\/knowledge$/, 'Base de connaissances']
		]
	},
	{
		section: 'Expérimentations',
		pages: [
			['Portefeuille', /\/l\/paca\/experiments$/, 'Expérimentations'],
			['Commande', /\/l\/paca\/specs$/, 'Commande publique : cahiers des charges'],
			['Fonds', /\/l\/paca\/fund$/, "Fonds d'expérimentation"]
		]
	},
	{ section: 'Réseau', pages: [['Réseau', /\/l\/paca\/network$/, 'Réseau des référents']] },
	{ section: 'Journal', pages: [['Journal', /\/l\/paca\/journal$/, 'Journal']] },
	{ section: 'Rechercher', pages: [['Rechercher', /\/l\/paca\/search$/, 'Rechercher']] },
	{
		section: 'Administration',
		pages: [
			['Membres', /\/l\/paca\/members$/, 'Membres'],
			['Historique des actions', /\/l\/paca\/audit$/, 'Historique des actions'],
			['Courriels envoyés', /\/l\/paca\/outbox$/, 'Courriels envoyés']
		]
	}
];

test.describe('on a desktop screen', () => {
	test('a coordinator reaches every section and every page in it, the current ones marked', async ({ page }) => {
		test.setTimeout(120_000);
		await login(page, DEMO.coordinator);
		await open(page, '/l/paca');
		const sections = labNav(page).getByRole('link');
		await expect(sections).toHaveText([/^Accueil/, 'Ateliers', 'Expérimentations', 'Réseau', 'Journal', 'Rechercher', 'Administration']);
		await expect(page.getByRole('button', { name: 'Menu', exact: true })).toBeHidden();

		// Administration stands apart, at the end of the row.
		const search = (await labNav(page).getByRole('link', { name: 'Rechercher' }).boundingBox())!;
		const admin = (await labNav(page).getByRole('link', { name: 'Administration' }).boundingBox())!;
		expect(admin.x - (search.x + search.width)).toBeGreaterThan(100);

		for (const { section, pages } of COORDINATOR) {
			const link = labNav(page).getByRole('link', { name: section === 'Accueil' ? /^Accueil/ : section, exact: section !== 'Accueil' });
			const [, url, title] = pages[0]!;
			await link.click();
			await expect(page).toHaveURL(url);
			await expect(h1(page)).toHaveText(title);
			if (pages.length === 1) {
				// A section with one page is a plain link to it, without a second row.
				await expectOnlyCurrent(sections, link, 'page');
				await expect(page.getByRole('navigation', { name: /^Pages de la rubrique/ })).toHaveCount(0);
				continue;
			}
			await expectOnlyCurrent(sections, link, 'true');
			const row = sectionPages(page, section).getByRole('link');
			await expect(row).toHaveText(pages.map(([name]) => name));
			await expectAccessible(page);
			for (const [name, url, title] of pages) {
				const sub = sectionPages(page, section).getByRole('link', { name, exact: true });
				await sub.click();
				await expect(page).toHaveURL(url);
				await expect(h1(page)).toHaveText(title);
				await expect(sub).toHaveAttribute('aria-current', 'page');
				await expect(row.and(page.locator('[aria-current]'))).toHaveCount(1);
				await expect(link).toHaveAttribute('aria-current', 'true');
			}
		}
		// A page deeper in a section keeps its section and page marked.
		await open(page, '/l/paca/fund/ledger');
		await expect(labNav(page).getByRole('link', { name: 'Expérimentations' })).toHaveAttribute('aria-current', 'true');
		await expect(sectionPages(page, 'Expérimentations').getByRole('link', { name: 'Fonds' })).toHaveAttribute('aria-current', 'page');
		await expectAccessible(page);
	});

	test('a resident and a referent see only what their rights open', async ({ page, browser }) => {
		await login(page, DEMO.resident);
		await open(page, '/l/paca');
		const sections = labNav(page).getByRole('link');
		// Members is the only administration page a resident may open: a plain link, apart.
		await expect(sections).toHaveText([/^Accueil/, 'Ateliers', 'Expérimentations', 'Réseau', 'Journal', 'Rechercher', 'Membres']);
		await sections.filter({ hasText: 'Expérimentations' }).click();
		await expect(sectionPages(page, 'Expérimentations').getByRole('link')).toHaveText(['Portefeuille', 'Commande', 'Fonds']);
		await sections.filter({ hasText: 'Membres' }).click();
		await expect(page).toHaveURL(/\/l\/paca\/members$/);
		await expect(sections.filter({ hasText: 'Membres' })).toHaveAttribute('aria-current', 'page');
		await expect(page.getByRole('link', { name: /Historique des actions|Courriels envoyés/ })).toHaveCount(0);
		await expectAccessible(page);

		// A referent has no commissioning nor fund: Expérimentations is a plain link.
		const context = await browser.newContext();
		const referent = await context.newPage();
		await login(referent, DEMO.referent);
		await open(referent, '/l/paca');
		const theirs = labNav(referent).getByRole('link');
		await expect(theirs).toHaveText([/^Accueil/, 'Ateliers', 'Expérimentations', 'Réseau', 'Journal', 'Rechercher', 'Membres']);
		await theirs.filter({ hasText: 'Expérimentations' }).click();
		await expect(referent).toHaveURL(/\/l\/paca\/experiments$/);
		await expect(theirs.filter({ hasText: 'Expérimentations' })).toHaveAttribute('aria-current', 'page');
		await expect(referent.getByRole('navigation', { name: /^Pages de la rubrique/ })).toHaveCount(0);
		await expect(referent.getByRole('link', { name: /^(Commande|Fonds)$/ })).toHaveCount(0);
		await theirs.filter({ hasText: 'Ateliers' }).click();
		await expect(sectionPages(referent, 'Ateliers').getByRole('link')).toHaveText(['Événements', 'Connaissances']);
		await expectAccessible(referent);
		await context.close();
	});
});

test.describe('on a phone', () => {
	test.use({ viewport: PHONE });

	test('the navigation folds behind a Menu button that the keyboard opens and Escape closes', async ({ page }) => {
		await login(page, DEMO.coordinator);
		for (const path of ['/l/paca', '/l/paca/knowledge', '/l/paca/members']) {
			await open(page, path);
			await expectTitleInFirstScreen(page);
		}
		const menu = page.getByRole('button', { name: 'Menu', exact: true });
		await expect(menu).toHaveAttribute('aria-expanded', 'false');
		await expect(menu).toHaveAttribute('aria-controls', 'lab-menu');
		await expect(labNav(page)).toBeHidden();
		// The current section's pages stay in view.
		await expect(sectionPages(page, 'Administration').getByRole('link', { name: 'Membres' })).toHaveAttribute('aria-current', 'page');
		await expectAccessible(page);

		await menu.focus();
		await page.keyboard.press('Enter');
		await expect(menu).toHaveAttribute('aria-expanded', 'true');
		await expect(labNav(page)).toBeVisible();
		await expect(page.locator('#lab-menu')).toBeVisible();
		await expectAccessible(page);
		await page.keyboard.press('Tab');
		await expect(labNav(page).getByRole('link', { name: /^Accueil/ })).toBeFocused();
		await page.keyboard.press('Escape');
		await expect(menu).toHaveAttribute('aria-expanded', 'false');
		await expect(labNav(page)).toBeHidden();
		await expect(menu).toBeFocused();

		// Space opens it too; following a link navigates and folds the menu again.
		await page.keyboard.press('Space');
		await expect(menu).toHaveAttribute('aria-expanded', 'true');
		await labNav(page).getByRole('link', { name: 'Réseau' }).click();
		await expect(page).toHaveURL(/\/l\/paca\/network$/);
		await expect(h1(page)).toHaveText('Réseau des référents');
		await expect(menu).toHaveAttribute('aria-expanded', 'false');
		await expect(labNav(page)).toBeHidden();
		await expectTitleInFirstScreen(page);
		await expectAccessible(page);
	});

	test('without JavaScript the Menu link still leads to the navigation', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE, locale: 'fr-FR' });
		const page = await context.newPage();
		await page.goto('/login');
		await page.getByLabel('Adresse e-mail').fill(DEMO.resident);
		await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await expect(page).not.toHaveURL(/\/login/);
		await page.goto('/l/paca');
		await expectTitleInFirstScreen(page);
		await expect(labNav(page)).toBeHidden();
		await page.getByRole('link', { name: 'Menu', exact: true }).click();
		await expect(labNav(page)).toBeVisible();
		await labNav(page).getByRole('link', { name: 'Journal' }).click();
		await expect(page).toHaveURL(/\/l\/paca\/journal$/);
		await expect(h1(page)).toHaveText('Journal');
		await context.close();
	});
});
