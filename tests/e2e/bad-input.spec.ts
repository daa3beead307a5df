import { expect } from '@playwright/test';
import { DEMO, DEMO_PASSWORD, open, expectAccessible, login, logout, uid, waitForMail, test } from './helpers';

test('a wrong password gets a generic message, then a limit after repeated tries', async ({ page }) => {
	await open(page, '/login');
	const email = `inconnu-${uid()}@example.test`;
	for (let i = 0; i < 5; i++) {
		await page.getByLabel('Adresse e-mail').fill(email);
		await page.getByLabel('Mot de passe', { exact: true }).fill('mauvais');
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await expect(page.getByRole('alert')).toHaveText('Adresse e-mail ou mot de passe incorrect.');
		// What was typed stays, except the password.
		await expect(page.getByLabel('Adresse e-mail')).toHaveValue(email);
		await expect(page.getByLabel('Mot de passe', { exact: true })).toHaveValue('');
	}
	await page.getByLabel('Mot de passe', { exact: true }).fill('mauvais');
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByRole('alert')).toContainText('Trop de tentatives');
	await expectAccessible(page);
});

test('the invitation form keeps what was typed and explains each error', async ({ page }) => {
	await login(page, DEMO.coordinator);
	await page.goto('/l/paca/members');
	const invite = page.locator('form[action="?/invite"]');
	// Bypass the browser's own checks to see the server's answer, as a script or old browser would.
	await invite.evaluate((f: HTMLFormElement) => {
		f.noValidate = true;
		f.querySelectorAll('[maxlength]').forEach((e) => e.removeAttribute('maxlength'));
	});
	const longName = 'N'.repeat(130);
	await invite.getByLabel('Nom').fill(longName);
	await invite.getByLabel('Adresse e-mail').fill('');
	await invite.getByRole('button', { name: 'Envoyer l’invitation' }).click();
	await expect(invite.getByText('120 caractères au plus, vous en avez saisi 130.')).toBeVisible();
	await expect(invite.getByText('Ce champ est obligatoire.')).toBeVisible();
	await expect(invite.getByLabel('Nom')).toHaveValue(longName);
	await expect(invite.getByLabel('Nom')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByRole('alert')).toContainText('2 erreurs');
	await expectAccessible(page);

	// An e-mail that is already a member's.
	await invite.getByLabel('Nom').fill('Doublon');
	await invite.getByLabel('Adresse e-mail').fill(DEMO.sponsor);
	await invite.getByRole('button', { name: 'Envoyer l’invitation' }).click();
	await expect(invite.getByText('Cette personne est déjà membre du labo.').first()).toBeVisible();
	await expect(invite.getByLabel('Adresse e-mail')).toHaveValue(DEMO.sponsor);

	// Invited twice.
	const email = `double-${uid()}@example.test`;
	await invite.getByLabel('Nom').fill('Double');
	await invite.getByLabel('Adresse e-mail').fill(email);
	await invite.getByRole('button', { name: 'Envoyer l’invitation' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Invitation envoyée' })).toBeVisible();
	await invite.getByLabel('Nom').fill('Double');
	await invite.getByLabel('Adresse e-mail').fill(email);
	await invite.getByRole('button', { name: 'Envoyer l’invitation' }).click();
	await expect(invite.getByText('Une invitation est déjà en attente pour cette adresse.').first()).toBeVisible();

	// A cancelled invitation's link no longer works.
	const mail = await waitForMail(email, /Invitation/);
	const link = /https?:\/\/\S+\/invitation\/[\w-]+/.exec(mail.text)![0];
	await page.getByRole('button', { name: `Annuler l'invitation de ${email}` }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Invitation annulée.' })).toBeVisible();
	await logout(page);
	await open(page, link);
	await expect(page.getByRole('heading', { name: 'Cette invitation a été annulée.' })).toBeVisible();
	await expectAccessible(page);
});

test('a coordinator changes a role and sees it in the audit log', async ({ page }) => {
	await login(page, DEMO.coordinator);
	await page.goto('/l/paca/members');
	const role = page.getByLabel('Nouveau rôle de Louise Exemple');
	await role.selectOption('resident');
	await page.getByRole('button', { name: 'Changer le rôle de Louise Exemple' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Louise Exemple est maintenant résident·e.' })).toBeVisible();
	await page.getByLabel('Nouveau rôle de Louise Exemple').selectOption('referent');
	await page.getByRole('button', { name: 'Changer le rôle de Louise Exemple' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Louise Exemple est maintenant référent·e.' })).toBeVisible();

	await page.getByRole('link', { name: 'Historique des actions' }).click();
	await page.getByLabel('Action').selectOption('member.changeRole');
	await page.getByRole('button', { name: 'Filtrer' }).click();
	await expect(page.getByRole('cell', { name: 'from: resident, to: referent' })).toBeVisible();
	await expectAccessible(page);

	await page.getByRole('link', { name: 'Courriels envoyés' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Courriels envoyés' })).toBeVisible();
	await expectAccessible(page);
});

test('what is typed before the page becomes interactive is kept (a slow office computer)', async ({ page }) => {
	// Hold the application's scripts back for two seconds, as a slow machine would.
	await page.route('**/_app/immutable/**', async (route) => {
		await new Promise((r) => setTimeout(r, 2_000));
		await route.continue();
	});
	await page.goto('/login', { waitUntil: 'commit' });
	await page.getByLabel('Adresse e-mail').fill(DEMO.resident);
	await page.getByLabel('Mot de passe', { exact: true }).fill('tape-avant-hydratation');
	await page.locator('html[data-ready]').waitFor({ state: 'attached', timeout: 20_000 });
	await expect(page.getByLabel('Adresse e-mail')).toHaveValue(DEMO.resident);
	await expect(page.getByLabel('Mot de passe', { exact: true })).toHaveValue('tape-avant-hydratation');
	await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page).not.toHaveURL(/\/login/);
	// A long text too: the new post's body.
	await page.goto('/l/paca/journal/admin/new', { waitUntil: 'commit' });
	await page.getByLabel('Texte (markdown)').fill('Tapé avant que la page soit prête.');
	await page.locator('html[data-ready]').waitFor({ state: 'attached', timeout: 20_000 });
	await expect(page.getByLabel('Texte (markdown)')).toHaveValue('Tapé avant que la page soit prête.');
	await page.unrouteAll({ behavior: 'ignoreErrors' });
});
