import { expect } from '@playwright/test';
import { DEMO, open, expectAccessible, login, logout, uid, waitForMail, goToLabPage, test } from './helpers';

test('a coordinator invites a person, who joins by the e-mailed link and reads the lab in French then English', async ({ page }) => {
	const email = `agent-${uid()}@region.example`;

	await login(page, DEMO.coordinator);
	// Camille belongs to two labs: the home page lists them.
	await expect(page.getByRole('heading', { level: 2, name: 'Vos labos' })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Labo PACA' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Labo PACA' })).toBeVisible();
	await expectAccessible(page);

	await goToLabPage(page, 'Administration', 'Membres');
	await expect(page).toHaveTitle(/Membres · Labo PACA/);
	await expectAccessible(page);

	const invite = page.locator('form[action="?/invite"]');
	await invite.getByLabel('Nom').fill('Lina Exemple');
	await invite.getByLabel('Adresse e-mail').fill(email);
	await invite.getByLabel('Rôle').selectOption('resident');
	await invite.getByRole('button', { name: 'Envoyer l’invitation' }).click();
	await expect(page.getByRole('status').filter({ hasText: `Invitation envoyée à ${email}` })).toBeVisible();
	await expect(page.getByRole('table').filter({ hasText: email })).toBeVisible();

	const mail = await waitForMail(email, /Invitation à rejoindre Labo PACA/);
	const link = /https?:\/\/\S+\/invitation\/[\w-]+/.exec(mail.text)?.[0];
	expect(link, mail.text).toBeTruthy();
	await logout(page);

	await open(page, link!);
	await expect(page.getByRole('heading', { name: 'Rejoindre Labo PACA' })).toBeVisible();
	await expectAccessible(page);
	await page.getByLabel('Nom affiché').fill('Lina Exemple');
	await page.getByLabel('Nouveau mot de passe').fill('un-mot-de-passe-solide');
	await page.getByLabel('Confirmez le mot de passe').fill('un-mot-de-passe-solide');
	await page.getByRole('button', { name: "Accepter l'invitation" }).click();

	await expect(page).toHaveURL(/\/l\/paca$/);
	await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
	await expect(page.getByText('Vous êtes résident·e dans ce labo.')).toBeVisible();
	await expectAccessible(page);

	await page.getByRole('button', { name: 'Switch to English' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByText('You are resident in this lab.')).toBeVisible();
	await expect(page.getByRole('navigation', { name: 'Lab navigation' }).getByRole('link', { name: 'Members' })).toBeVisible();
	await expectAccessible(page);

	// The new member logs out and back in with the password they chose.
	await logout(page);
	await page.getByLabel('E-mail address').fill(email);
	await page.getByLabel('Password', { exact: true }).fill('un-mot-de-passe-solide');
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page).toHaveURL(/\/l\/paca$/);

	// The link works only once.
	await open(page, link!);
	await expect(page.getByRole('heading', { name: /already accepted/ })).toBeVisible();
});

test('a forgotten password is reset through the e-mailed link', async ({ page }) => {
	await open(page, '/login');
	await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
	await expectAccessible(page);
	await page.getByLabel('Adresse e-mail').fill(DEMO.referent);
	await page.getByRole('button', { name: 'Recevoir le lien' }).click();
	await expect(page.getByText('Si un compte existe pour cette adresse')).toBeVisible();

	const mail = await waitForMail(DEMO.referent, /Réinitialiser/);
	const link = /https?:\/\/\S+\/password\/reset\/[\w-]+/.exec(mail.text)![0];
	await open(page, link);
	await expectAccessible(page);
	await page.getByLabel('Nouveau mot de passe').fill('nouveau-secret-2026');
	await page.getByLabel('Confirmez le mot de passe').fill('nouveau-secret-2026');
	await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
	await expect(page.getByText('Votre mot de passe est changé')).toBeVisible();
	await login(page, DEMO.referent, 'nouveau-secret-2026');

	// Put the demo password back for the other tests, through the profile page.
	await page.goto('/profile');
	await expectAccessible(page);
	const form = page.locator('form[action="?/password"]');
	await form.getByLabel('Mot de passe actuel').fill('nouveau-secret-2026');
	await form.getByLabel('Nouveau mot de passe').fill('demo-labo-paca');
	await form.getByLabel('Confirmez le mot de passe').fill('demo-labo-paca');
	await form.getByRole('button', { name: 'Changer le mot de passe' }).click();
	await expect(page.getByText('Mot de passe changé.')).toBeVisible();

	await open(page, link);
	await expect(page.getByText('Ce lien a déjà servi')).toBeVisible();
});
