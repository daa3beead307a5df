import { expect } from '@playwright/test';
import { DEMO, expectAccessible, login, uid, goToLabPage, test } from './helpers';

test('a resident writes a knowledge item that cites another, and finds it by a word typed without accents', async ({ page }) => {
	const word = `expérimentation${uid()}`;
	await login(page, DEMO.resident);
	await goToLabPage(page, 'Ateliers', 'Connaissances');
	await expect(page.getByRole('heading', { level: 1, name: 'Base de connaissances' })).toBeVisible();
	await expectAccessible(page);

	await page.getByRole('link', { name: 'Nouvelle fiche' }).click();
	await expectAccessible(page);
	await page.getByLabel('Type').selectOption('lesson');
	await page.getByLabel('Titre').fill('Leçon du lycée Claret');
	await page.getByLabel('Contenu (markdown)').fill(`Une **${word}** réussie suppose de [[partir des usages des agents]].`);
	await page.getByLabel('Mots-clés').fill('Lycées, AMO');
	await page.getByRole('button', { name: 'Créer la fiche' }).click();

	await expect(page.getByRole('status')).toHaveText('Fiche créée.');
	await expect(page.getByRole('heading', { level: 1, name: 'Leçon du lycée Claret' })).toBeVisible();
	await expect(page.getByRole('link', { name: '#lycées' })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'partir des usages des agents' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Partir des usages des agents' })).toBeVisible();
	await expect(page.getByRole('region', { name: 'Mentionnée dans' }).getByRole('link', { name: 'Leçon du lycée Claret' })).toBeVisible();

	await page.getByRole('navigation', { name: 'Navigation du labo' }).getByRole('link', { name: 'Rechercher' }).click();
	await page.getByLabel('Mots recherchés').fill(word.replace('é', 'e').toUpperCase());
	await page.getByRole('button', { name: 'Rechercher' }).click();
	await expect(page.getByRole('link', { name: 'Leçon du lycée Claret' })).toBeVisible();
	await expect(page.locator('mark').first()).toHaveText(word);
	await expectAccessible(page);

	await page.getByLabel('Mots recherchés').fill('de la les');
	await page.getByRole('button', { name: 'Rechercher' }).click();
	await expect(page.getByText('Ces mots sont trop courants pour être cherchés')).toBeVisible();
});

test('a save on top of a newer version is refused and the text is kept', async ({ browser }) => {
	const a = await (await browser.newContext()).newPage();
	const b = await (await browser.newContext()).newPage();
	await login(a, DEMO.resident);
	await login(b, DEMO.coordinator);
	await a.goto('/l/paca/knowledge');
	await a.getByRole('link', { name: 'Capitaliser après chaque atelier' }).click();
	await expect(a.getByRole('heading', { level: 1, name: 'Capitaliser après chaque atelier' })).toBeVisible();
	const url = a.url();
	await a.getByRole('link', { name: 'Modifier' }).click();
	await b.goto(url + '/edit');
	await b.getByLabel('Titre').fill('Capitaliser après chaque atelier (revu)');
	await b.getByRole('button', { name: 'Enregistrer' }).click();
	await expect(b.getByRole('status')).toContainText('version 2');

	await a.getByLabel('Contenu (markdown)').fill('Mon texte à ne pas perdre');
	await a.getByRole('button', { name: 'Enregistrer' }).click();
	await expect(a.getByRole('alert')).toContainText("Quelqu'un a enregistré une autre version");
	await expect(a.getByLabel('Contenu (markdown)')).toHaveValue('Mon texte à ne pas perdre');
	await expectAccessible(a);
});

test('a partner sees only what is shared with partners', async ({ page }) => {
	await login(page, DEMO.partner);
	await page.goto('/l/paca/knowledge');
	await expect(page.getByRole('link', { name: 'Binôme AMO et service de design' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Il faut une fonction de coordination' })).toHaveCount(0);
	await expect(page.getByRole('link', { name: 'Nouvelle fiche' })).toHaveCount(0);
	expect((await page.goto('/l/paca/knowledge/new'))?.status()).toBe(403);
});
