import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { expect } from '@playwright/test';
import { DEMO, expectAccessible, login, logout, goToLabPage, test } from './helpers';

test('a specification drafted from a template is published, awarded, becomes a commitment, and its DOCX opens in LibreOffice', async ({ page }) => {
	await login(page, DEMO.resident);
	await goToLabPage(page, 'Expérimentations', 'Commande');
	await expect(page.getByRole('link', { name: 'Cahier des charges de la direction de la prospective du Grand Lyon' })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Modèle : AMO et service de design des politiques publiques' }).click();
	await expectAccessible(page);
	await page.getByLabel('Pour l’expérimentation').selectOption({ label: "Mon avenir Num'ERIC" });
	await page.getByRole('button', { name: 'Créer' }).click();
	await expect(page.getByRole('heading', { level: 1, name: "Cahier des charges — Mon avenir Num'ERIC" })).toBeVisible();
	await expect(page.getByText("conduit l'expérimentation « Mon avenir Num'ERIC »")).toBeVisible();
	await page.getByRole('button', { name: 'Passer en relecture' }).click();
	await expect(page.getByText('en relecture', { exact: true })).toBeVisible();
	await page.getByRole('button', { name: 'Publier aux opérateurs' }).click();
	await expect(page.getByText('publié aux opérateurs', { exact: true })).toBeVisible();
	const url = page.url();

	const docx = await page.request.get(url + '/export.docx');
	expect(docx.headers()['content-type']).toContain('wordprocessingml');
	const dir = path.resolve('.tmp/e2e/docx');
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'cdc.docx'), await docx.body());
	execFileSync('libreoffice', ['--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(dir, 'cdc.docx')], { timeout: 120_000, stdio: 'ignore' });
	expect(fs.statSync(path.join(dir, 'cdc.pdf')).size).toBeGreaterThan(1000);
	const md = await (await page.request.get(url + '/export.md')).text();
	expect(md).toContain('## 2. Objectifs');
	await logout(page);

	await login(page, DEMO.coordinator);
	await page.goto(url);
	await page.getByLabel('Opérateur retenu').fill('Atelier de design (fictif)');
	await page.getByLabel('Montant (€)').fill('800');
	await page.getByRole('button', { name: 'Attribuer' }).click();
	await expect(page.getByText('Attribué à Atelier de design (fictif) pour 800,00 €.')).toBeVisible();
	await expectAccessible(page);
	await page.goto('/l/paca/fund/ledger');
	await expect(page.getByRole('cell', { name: /Atelier de design \(fictif\)/ })).toBeVisible();
});

test('two people editing the same specification: the second gets a conflict and keeps their text', async ({ browser }) => {
	const a = await (await browser.newContext()).newPage();
	const b = await (await browser.newContext()).newPage();
	await login(a, DEMO.resident);
	await login(b, DEMO.coordinator);
	await a.goto('/l/paca/specs');
	await a.getByRole('link', { name: 'Cahier des charges — Lycée Claret : commander un service de design' }).click();
	await expect(a.getByRole('heading', { level: 1, name: 'Cahier des charges — Lycée Claret : commander un service de design' })).toBeVisible();
	const url = a.url();
	expect(url).toMatch(/\/l\/paca\/specs\/[0-9a-f-]{36}$/);
	await a.getByRole('link', { name: 'Modifier' }).click();
	await b.goto(url + '/edit');
	await b.getByLabel('Titre').fill('Cahier des charges — Lycée Claret (revu)');
	await b.getByRole('button', { name: 'Enregistrer une nouvelle version' }).click();
	await expect(b.getByRole('status')).toContainText('Version 2');

	const text = '## Contexte\n\nMon texte à garder';
	await a.getByLabel('Sections').fill(text);
	await a.getByRole('button', { name: 'Enregistrer une nouvelle version' }).click();
	await expect(a.getByRole('alert')).toContainText("Quelqu'un a enregistré la version 2");
	await expect(a.getByLabel('Sections')).toHaveValue(text);
	await expectAccessible(a);

	// The two versions can be compared.
	await b.reload();
	await b.getByRole('button', { name: 'Comparer' }).click();
	await expect(b.getByRole('heading', { level: 1, name: 'Différences entre la version 1 et la version 2' })).toBeVisible();
	await expectAccessible(b);
});
