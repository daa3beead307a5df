import { expect } from '@playwright/test';
import { DEMO, expectAccessible, login, open, test } from './helpers';

test('a coordinator completes a grant, publishes the grants file, and a visitor downloads it', async ({ page, browser }) => {
	await login(page, DEMO.coordinator);
	await open(page, '/l/paca/open-data');
	await expect(page.getByRole('heading', { level: 1, name: 'Données ouvertes' })).toBeVisible();
	await expectAccessible(page);

	// A SIRET failing the Luhn check is refused, and what was typed stays in the form.
	const siret = page.getByLabel('SIRET (14 chiffres)');
	await expect(siret).toHaveValue('23130002100012');
	await siret.fill('23130002100013');
	await page.getByRole('button', { name: 'Enregistrer' }).click();
	await expect(page.getByText("Ce SIRET n'est pas valide").first()).toBeVisible();
	await expect(page.getByLabel('SIRET (14 chiffres)')).toHaveValue('23130002100013');
	await page.getByLabel('SIRET (14 chiffres)').fill('231 300 021 00012');
	await page.getByRole('button', { name: 'Enregistrer' }).click();
	await expect(page.getByText('Attribuant enregistré.')).toBeVisible();

	// The incomplete request says what it lacks and leads to its form.
	const row = page.getByRole('row', { name: /Restitution aux agents du lycée Claret/ });
	await expect(row).toContainText('le SIRET ou le numéro RNA du bénéficiaire');
	await expect(row).toContainText('la date de la convention');
	await row.getByRole('link', { name: 'Compléter' }).click();
	const grant = page.locator('#grant');
	await expect(grant.getByRole('heading', { name: 'Convention de subvention (données ouvertes)' })).toBeVisible();
	await expectAccessible(page);
	await grant.getByLabel('ou numéro RNA (association)').fill('W12');
	await grant.getByLabel('Date de la convention').fill('2014-05-20');
	await grant.getByRole('button', { name: 'Enregistrer la convention' }).click();
	await expect(grant.getByText('Un numéro RNA est un W suivi de 9 chiffres')).toBeVisible();
	await expect(grant.getByLabel('Date de la convention')).toHaveValue('2014-05-20');
	await grant.getByLabel('ou numéro RNA (association)').fill('W831000456');
	await grant.getByRole('button', { name: 'Enregistrer la convention' }).click();
	await expect(grant.getByText('Données de la convention enregistrées.')).toBeVisible();

	await open(page, '/l/paca/open-data?year=2014');
	await expect(page.getByRole('row', { name: /Restitution aux agents du lycée Claret/ })).toContainText('Complète');
	await page.getByRole('button', { name: /Publier le fichier — 2014/ }).click();
	await expect(page.getByText(/Fichier publié : subventions-2014\.csv/)).toBeVisible();

	// A visitor finds the file from the lab's page and downloads it; the preparation is not shown.
	const visitor = await (await browser.newContext()).newPage();
	await open(visitor, '/l/paca');
	await visitor.getByRole('link', { name: 'Données ouvertes' }).click();
	await expect(visitor.getByRole('heading', { name: 'Préparer le fichier des subventions' })).toHaveCount(0);
	const link = visitor.getByRole('link', { name: /Subventions accordées .* 2014/ });
	await expect(link).toBeVisible();
	await expectAccessible(visitor);
	const res = await visitor.request.get((await link.getAttribute('href'))!);
	expect(res.headers()['content-type']).toBe('text/csv; charset=utf-8');
	const text = await res.text();
	expect(text.startsWith('nomAttribuant,idAttribuant,dateConvention,')).toBe(true);
	expect(text).toContain('Restitution aux agents du lycée Claret');
	expect((await visitor.request.get('/l/paca/open-data/subventions-1999.csv')).status()).toBe(404);
});
