import { expect } from '@playwright/test';
import { DEMO, open, expectAccessible, login, logout, goToLabPage, test } from './helpers';

// The identity provider started by tests/e2e/server.ts knows this agent (password op-password).
const AGENT = { login: 'agent.sso', email: 'agent.sso@ville-e2e.example' };

test('an invited agent signs in through the provider’s own page, lands in the lab, and signs out at both ends', async ({ page }) => {
	await login(page, DEMO.coordinator);
	await open(page, '/l/paca');
	await goToLabPage(page, 'Administration', 'Membres');
	const invite = page.locator('form[action="?/invite"]');
	await invite.getByLabel('Nom').fill('Sacha Dupont');
	await invite.getByLabel('Adresse e-mail').fill(AGENT.email);
	await invite.getByLabel('Rôle').selectOption('resident');
	await invite.getByRole('button', { name: 'Envoyer l’invitation' }).click();
	await expect(page.getByRole('status').filter({ hasText: `Invitation envoyée à ${AGENT.email}` })).toBeVisible();
	await logout(page);

	// A callback nobody started is refused, with the reason and the way back to local sign-in.
	await open(page, '/auth/oidc/callback?code=forged&state=forged');
	await expect(page.getByRole('heading', { level: 1, name: 'Connexion unique impossible' })).toBeVisible();
	await expect(page.getByRole('alert')).toContainText('n’a pas été commencée dans ce navigateur');
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Revenir à la page de connexion' }).click();

	await expect(page.getByRole('heading', { level: 1, name: 'Connexion' })).toBeVisible();
	await expectAccessible(page);
	// Keyboard: the single sign-on button is reachable and follows with Enter.
	const sso = page.getByRole('link', { name: 'Se connecter avec Test IdP' });
	await sso.focus();
	await page.keyboard.press('Enter');

	await expect(page.getByRole('heading', { name: 'Test identity provider' })).toBeVisible();
	await page.getByLabel('Login').fill(AGENT.login);
	await page.getByLabel('Password').fill('op-password');
	await page.getByRole('button', { name: 'Sign in at the provider' }).click();

	await expect(page).toHaveURL(/\/l\/paca$/);
	await expect(page.getByText('Vous êtes résident·e dans ce labo.')).toBeVisible();
	await expectAccessible(page);

	await open(page, '/profile');
	await expect(page.getByRole('heading', { level: 2, name: 'Connexion unique' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Délier' })).toBeVisible();
	await expect(page.getByLabel('Nom affiché')).toHaveValue('Sacha Dupont');
	await expectAccessible(page);

	// Signing out here asks the provider to end its session too.
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await expect(page.getByRole('heading', { name: 'Sign out of the test identity provider?' })).toBeVisible();
	await page.getByRole('button', { name: 'Yes, sign me out' }).click();
	await expect(page).toHaveURL(/\/login\?bye/);
	await expect(page.getByText('Vous êtes déconnecté·e.')).toBeVisible();

	// Both ends are closed: Labo asks again, and so does the provider.
	await open(page, '/profile');
	await expect(page).toHaveURL(/\/login/);
	await page.getByRole('link', { name: 'Se connecter avec Test IdP' }).click();
	await expect(page.getByRole('heading', { name: 'Test identity provider' })).toBeVisible();
	await expect(page.getByLabel('Login')).toBeVisible();
});
