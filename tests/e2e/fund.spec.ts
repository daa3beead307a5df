import { expect } from '@playwright/test';
import { DEMO, expectAccessible, login, logout, uid, goToLabPage, test } from './helpers';

test('a resident submits a funding request, a coordinator approves a smaller amount, and the envelope shows it', async ({ page, browser }) => {
	const title = `Ateliers de restitution ${uid()}`;
	await login(page, DEMO.resident);
	await goToLabPage(page, 'Expérimentations', 'Fonds');
	await expect(page.getByRole('heading', { level: 3, name: 'Enveloppe 2014' })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Nouvelle demande' }).click();
	await expectAccessible(page);
	await page.getByLabel('Expérimentations', { exact: true }).selectOption({ label: 'Lycée Claret : commander un service de design' });
	await page.getByLabel('Objet').fill(title);
	await page.getByLabel('Lignes budgétaires').fill('Animation ; prestation ; 4 000\nSalle ; frais ; -50');
	await page.getByRole('button', { name: 'Créer la demande (brouillon)' }).click();
	// A negative amount is refused with its line, and nothing typed is lost.
	await expect(page.getByText('Ligne 2 : montant invalide').first()).toBeVisible();
	await expect(page.getByLabel('Objet')).toHaveValue(title);
	await page.getByLabel('Lignes budgétaires').fill('Animation ; prestation ; 4 000\nSalle ; frais ; 500,50');
	await page.getByRole('button', { name: 'Créer la demande (brouillon)' }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await page.getByRole('button', { name: 'Déposer la demande' }).click();
	await expect(page.getByText('déposée', { exact: true })).toBeVisible();
	await expectAccessible(page);
	const url = page.url();
	await logout(page);

	await login(page, DEMO.coordinator);
	await page.goto(url);
	await page.getByLabel('Montant accordé (€)').fill('3 000');
	await page.getByLabel('Motif').fill('Une seule séance de restitution.');
	await page.getByRole('button', { name: 'Enregistrer' }).click();
	await expect(page.getByText('accordée', { exact: true })).toBeVisible();
	await expect(page.getByText('3 000,00 €')).toBeVisible();
	await expectAccessible(page);

	await page.goto('/l/paca/fund/ledger');
	await expect(page.getByRole('cell', { name: title })).toBeVisible();
	await expectAccessible(page);
	const csv = await (await page.request.get('/l/paca/fund/ledger.csv')).text();
	expect(csv.charCodeAt(0)).toBe(0xfeff);
	expect(csv).toContain('"allocation";"3000,00"');

	// Publishing the funded experiments shows them to anonymous visitors.
	await page.goto('/l/paca/fund');
	await page.getByLabel('Publier les expérimentations financées et leurs montants').check();
	await page.getByRole('button', { name: 'Enregistrer' }).click();
	await expect(page.getByLabel('Publier les expérimentations financées et leurs montants')).toBeChecked();
	const visitor = await (await browser.newContext()).newPage();
	await visitor.goto('/l/paca');
	const funded = visitor.getByRole('table', { name: 'Expérimentations financées par le fonds' });
	await expect(funded.getByRole('rowheader', { name: "Mon avenir Num'ERIC" })).toBeVisible();
	await expect(funded.getByRole('rowheader', { name: 'Lycée Claret : commander un service de design' })).toBeVisible();
	await expectAccessible(visitor);
	await page.goto('/l/paca/fund/ledger');

	// A payment above what was committed is refused with the amount still open.
	await page.getByLabel('Écriture', { exact: true }).selectOption('payment');
	await page.getByLabel('Expérimentations', { exact: true }).selectOption({ label: "Mon avenir Num'ERIC" });
	// The demo has several commitments: pay the one of this experiment.
	const commitment = page.getByLabel('Engagement payé');
	await commitment.selectOption((await commitment.locator('option', { hasText: "Mon avenir Num'ERIC — " }).getAttribute('value'))!);
	await page.getByLabel('Montant (€)').fill('10 000');
	await page.getByLabel('Référence').fill('Solde');
	await page.getByRole('button', { name: 'Enregistrer' }).click();
	await expect(page.getByRole('alert')).toContainText('Le paiement dépasse l’engagement'.replace('’', "'"));
	await expect(page.getByLabel('Montant (€)')).toHaveValue('10 000');
});
