import path from 'node:path';
import { expect } from '@playwright/test';
import { DEMO, open, expectAccessible, login, test } from './helpers';

const fixture = (name: string) => path.resolve('tests/fixtures/wordpress', name);

test('a coordinator imports a WordPress export: errors with their position, then posts, comments and old addresses', async ({ page }) => {
	test.setTimeout(90_000);
	await login(page, DEMO.coordinator);
	await open(page, '/l/paca/journal/import');
	await expect(page.getByRole('heading', { level: 1, name: 'Importer un blog WordPress' })).toBeVisible();
	await expectAccessible(page);

	// A malformed file: the line and column, nothing written.
	await page.getByLabel('Fichier d’export WordPress (XML)').setInputFiles(fixture('carnet-malforme.xml'));
	await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
	await expect(page.getByText(/Ligne 22, colonne 20/)).toBeVisible();
	await expect(page.getByRole('button', { name: /^Importer \d+ élément/ })).toHaveCount(0);

	await page.getByLabel('Fichier d’export WordPress (XML)').setInputFiles(fixture('carnet-wxr-1.2.xml'));
	await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
	await page.getByRole('button', { name: /^Importer \d+ élément/ }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Import terminé' })).toBeVisible({ timeout: 30_000 });
	await expect(page.getByText('4 billets importés')).toBeVisible();
	await expectAccessible(page);

	// Browse the result as the public sees it.
	await page.getByRole('link', { name: 'Voir le journal' }).click();
	await page.getByRole('link', { name: /Semaine 9\.1 : lancer l’atelier/ }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'lancer l’atelier' })).toBeVisible();
	await expect(page.locator('#comments')).toContainText(/commentaire/);

	// The old WordPress addresses answer with a permanent redirect to the new ones.
	const old = await page.request.get('/2021/03/01/semaine-9-1-lancer-latelier/', { maxRedirects: 0 });
	expect(old.status()).toBe(301);
	expect(old.headers()['location']).toBe('/l/paca/journal/semaine-9-1-lancer-latelier');

	// Importing the same file again changes nothing.
	await open(page, '/l/paca/journal/import');
	await page.getByLabel('Fichier d’export WordPress (XML)').setInputFiles(fixture('carnet-wxr-1.2.xml'));
	await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
	await expect(page.getByRole('button', { name: /^Importer \d+ élément/ })).toHaveCount(0);
});
