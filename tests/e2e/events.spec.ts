import fs from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { DEMO, expectAccessible, login, uid, goToLabPage, test } from './helpers';

test('a resident records a workshop, captures two outputs as knowledge items and attaches its minutes', async ({ page }) => {
	const title = `Atelier des référents ${uid()}`;
	await login(page, DEMO.resident);
	await goToLabPage(page, 'Ateliers', 'Événements');
	await expect(page.getByRole('link', { name: 'Séminaire des directeurs, janvier 2014' })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Nouvel événement' }).click();
	await expectAccessible(page);

	await page.getByLabel('Titre').fill(title);
	await page.getByLabel('Début').fill('2014-03-12T09:30');
	await page.getByLabel('Fin').fill('2014-03-12T09:00');
	await page.getByLabel('Lieu').fill('Avignon');
	await page.getByLabel('Participants').fill('Léa Exemple ; Direction des Lycées ; animatrice\nMarc Exemple ; Vaucluse');
	await page.getByLabel('Décisions').fill('Former dix référents ; Camille Exemple ; 2014-06-30');
	await page.getByRole('button', { name: "Créer l'événement" }).click();
	// The end is before the start: refused, and everything typed is still there.
	await expect(page.getByText('La fin doit venir après le début.').first()).toBeVisible();
	await expect(page.getByLabel('Participants')).toHaveValue('Léa Exemple ; Direction des Lycées ; animatrice\nMarc Exemple ; Vaucluse');
	await expectAccessible(page);
	await page.getByLabel('Fin').fill('2014-03-12T17:00');
	await page.getByRole('button', { name: "Créer l'événement" }).click();

	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await expect(page.getByRole('cell', { name: 'animateur·rice' })).toBeVisible();
	await expect(page.getByRole('cell', { name: 'Former dix référents' })).toBeVisible();
	await expectAccessible(page);

	await page
		.getByLabel('Productions à transformer en fiches')
		.fill('principe ; Former avant de mobiliser\nidée ; Un binôme novice et expérimenté ; pour chaque groupe');
	await page.getByRole('button', { name: 'Créer les fiches' }).click();
	await expect(page.getByRole('status').filter({ hasText: '2 fiches créées.' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Former avant de mobiliser' })).toBeVisible();

	const dir = path.resolve('.tmp/e2e/upload');
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'piege.html'), '<script>alert(1)</script>');
	fs.writeFileSync(path.join(dir, 'compte-rendu.pdf'), '%PDF-1.4\n% Labo test\n');
	await page.getByLabel('Ajouter un fichier').setInputFiles(path.join(dir, 'piege.html'));
	await page.getByRole('button', { name: 'Envoyer' }).click();
	await expect(page.getByText('Ce type de fichier est refusé.').first()).toBeVisible();
	await page.getByLabel('Ajouter un fichier').setInputFiles(path.join(dir, 'compte-rendu.pdf'));
	await page.getByRole('button', { name: 'Envoyer' }).click();
	await expect(page.getByRole('link', { name: 'compte-rendu.pdf' })).toBeVisible();
	const download = await page.request.get((await page.getByRole('link', { name: 'compte-rendu.pdf' }).getAttribute('href'))!);
	expect(download.headers()['content-disposition']).toContain('attachment');
	expect(download.headers()['content-type']).toBe('application/pdf');

	const ics = await page.request.get((await page.getByRole('link', { name: 'Ajouter à mon agenda (.ics)' }).getAttribute('href'))!);
	expect(await ics.text()).toContain(`SUMMARY:${title}`);

	await page.getByRole('link', { name: 'Former avant de mobiliser' }).click();
	await expect(page.getByRole('link', { name: title })).toBeVisible();

	await page.getByRole('navigation', { name: 'Navigation du labo' }).getByRole('link', { name: 'Rechercher' }).click();
	await page.getByLabel('Mots recherchés').fill('referents avignon');
	await page.getByRole('button', { name: 'Rechercher' }).click();
	await expect(page.getByRole('link', { name: title })).toBeVisible();
});

test('a calendar application reads the lab feed with a personal link only', async ({ page, request }) => {
	await login(page, DEMO.coordinator);
	await page.goto('/l/paca/events');
	await page.getByRole('button', { name: "Créer mon lien d'abonnement" }).click();
	const feed = await page.getByLabel("Lien d'abonnement").inputValue();
	expect(feed).toMatch(/\/l\/paca\/calendar\.ics\?token=/);
	const anonymous = await request.get(feed.replace(/^https?:\/\/[^/]+/, ''));
	expect(anonymous.status()).toBe(200);
	expect(await anonymous.text()).toContain('SUMMARY:Séminaire des directeurs\\, janvier 2014');
	expect((await request.get('/l/paca/calendar.ics?token=faux')).status()).toBe(404);
	expect((await request.get('/l/occitanie/calendar.ics?token=' + new URL(feed).searchParams.get('token'))).status()).toBe(404);
});
