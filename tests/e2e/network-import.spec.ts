import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from '@playwright/test';
import { DEMO, expectAccessible, login, logout, open, uid, waitForMail, test } from './helpers';

const HEADER = 'nom;email;direction;service;territoire;competences;langues;jours_par_mois';
const csv = (lines: string[]) => ({ name: 'agents.csv', mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + lines.join('\r\n') + '\r\n', 'utf8') });

test('a coordinator imports agents from a CSV file; an invited agent consents and appears in the directory', async ({ page }) => {
	test.setTimeout(90_000);
	const id = uid();
	const name = `Agathe Import ${id}`;
	const email = `agathe-${id}@region.example`;
	const other = `basile-${id}@region.example`;

	await login(page, DEMO.coordinator);
	await open(page, '/l/paca/network/import');
	await expect(page.getByRole('heading', { level: 1, name: 'Importer des agents' })).toBeVisible();
	await expectAccessible(page);
	const fileInput = page.getByLabel('Fichier CSV des agents');

	// A file with errors: every line is reported, nothing is imported.
	await fileInput.setInputFiles(
		csv([
			HEADER,
			`${name};${email};Direction des lycées;;13;;;2`,
			`Sans Adresse;pas-une-adresse;;;13;;;`,
			`Basile;${other};;;Paris;Jonglerie;;`,
			`Doublon;${email.toUpperCase()};;;84;;;`
		])
	);
	await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
	const errors = page.getByRole('alert').filter({ hasText: 'rien n’a été importé' });
	await expect(errors).toBeVisible();
	await expect(errors).toContainText('Ligne 3 : « pas-une-adresse » n’est pas une adresse e-mail valide.');
	await expect(errors).toContainText('Ligne 4 : « Paris » n’est pas un territoire connu');
	await expect(errors).toContainText('Ligne 4 : compétence absente de la liste du labo : Jonglerie.');
	await expect(errors).toContainText(`Ligne 5 : l’adresse ${email} figure déjà ligne 2.`);
	await expect(page.getByRole('button', { name: /^Importer/ })).toHaveCount(0);
	await expectAccessible(page);

	// A file over the limit is refused with a clear message; the file input stays for another try.
	const bigPath = path.join(os.tmpdir(), `labo-big-${id}.csv`);
	fs.writeFileSync(bigPath, Buffer.alloc(50 * 1024 * 1024, 0x61));
	try {
		await fileInput.setInputFiles(bigPath);
		await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
		await expect(page.getByText('Ce fichier dépasse la taille maximale de 5 Mo.')).toBeVisible();
		await expect(fileInput).toBeVisible();
	} finally {
		fs.rmSync(bigPath, { force: true });
	}
	// The server refuses it too, from its announced size (a browser without JavaScript).
	const refused = await page.request.post('/l/paca/network/import?/preview', {
		headers: { origin: new URL(page.url()).origin, accept: 'text/html' },
		multipart: { file: { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.alloc(6 * 1024 * 1024, 0x61) } }
	});
	expect(refused.status()).toBe(413);
	expect(await refused.text()).toContain('Ce fichier dépasse la taille maximale de 5 Mo.');

	// A clean file: counts and a sample first, nothing written before the button.
	await fileInput.setInputFiles(
		csv([HEADER, `${name};${email};Direction des lycées;Vie lycéenne;13;;anglais;2`, `Basile Import ${id};${other};DGS;;Région;;;1`])
	);
	await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
	const sample = page.getByRole('table').filter({ hasText: email });
	await expect(sample).toBeVisible();
	await expect(sample).toContainText('nouveau');
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Importer 2 agents' }).click();

	await expect(page).toHaveURL(/\/l\/paca\/network\/import\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('progressbar', { name: 'Progression de l’import' })).toBeVisible();
	await expect(page.getByText('2 / 2 lignes traitées')).toBeVisible();
	await expect(page.getByRole('status').filter({ hasText: 'Import terminé.' })).toBeVisible();
	await expect(page.getByText('2 agents invités')).toBeVisible();
	await expectAccessible(page);
	await expect(page.getByRole('link', { name: 'Retour à l’annuaire du réseau' })).toHaveAttribute('href', '/l/paca/network');

	const mail = await waitForMail(email, /rejoindre le réseau des référents/);
	const link = /https?:\/\/\S+\/network\/join\/[\w-]+/.exec(mail.text)?.[0];
	expect(link, mail.text).toBeTruthy();
	await logout(page);

	// The agent opens the link without an account, reads the purpose, checks the profile, consents.
	await open(page, link!);
	await expect(page.getByRole('heading', { level: 1, name: 'Rejoindre le réseau des référents de Labo PACA' })).toBeVisible();
	await expect(page.getByText('Seuls les coordinateurs et l’équipe permanente du labo voient ces informations')).toBeVisible();
	await expect(page.getByLabel('Direction', { exact: true })).toHaveValue('Direction des lycées');
	await expect(page.getByLabel('Territoire')).toHaveValue('13');
	await expect(page.getByLabel('Jours disponibles par mois')).toHaveValue('2');
	await expectAccessible(page);
	await page.getByLabel('Présentation').fill('Dix ans de conduite de projets avec les lycées.');
	await page.getByLabel('Périodes d’indisponibilité').fill('2030-07-01 ; 2030-07-31');
	await page.getByLabel(/J’accepte de rejoindre le réseau/).check();
	await page.getByRole('button', { name: 'Rejoindre le réseau' }).click();
	await expect(page.getByRole('heading', { name: 'Bienvenue dans le réseau !' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Gérer mon profil de référent' })).toHaveAttribute('href', /\/l\/paca\/network\/me\/[\w-]+$/);
	await expectAccessible(page);
	await waitForMail(email, /bienvenue dans le réseau/);

	// The link works once.
	await open(page, link!);
	await expect(page.getByRole('heading', { name: 'Invitation déjà acceptée' })).toBeVisible();

	// The coordinator finds the agent in the directory; the other invitee has not consented.
	await login(page, DEMO.coordinator);
	await open(page, '/l/paca/network');
	await expect(page.getByRole('table')).toContainText(name);
	await expect(page.getByRole('table')).not.toContainText(`Basile Import ${id}`);
});
