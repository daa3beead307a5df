import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { DEMO, expectAccessible, login, logout } from './helpers';

/** Screenshots of each role's home, kept outside the repository when asked for. */
const SHOTS = process.env.HOME_SHOTS_DIR;
async function shot(page: Page, name: string): Promise<void> {
	if (!SHOTS) return;
	fs.mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

const todo = (page: Page) => page.getByRole('region', { name: 'À traiter' });
const homeLink = (page: Page) => page.getByRole('navigation', { name: 'Navigation du labo' }).getByRole('link', { name: /^Accueil/ });

test('the coordinator finds what waits on them on the lab home, and login brings them back to the last lab used', async ({ page }) => {
	// Camille belongs to two labs and has used none yet: the list of labs.
	await login(page, DEMO.coordinator);
	await expect(page.getByRole('heading', { level: 2, name: 'Vos labos' })).toBeVisible();
	await page.getByRole('link', { name: 'Labo PACA' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Labo PACA' })).toBeVisible();
	await logout(page);

	// Next time, login lands in the lab she used last.
	await login(page, DEMO.coordinator);
	await expect(page).toHaveURL(/\/l\/paca$/);
	await expect(todo(page).getByRole('link', { name: '1 demande de financement à décider' })).toBeVisible();
	const moderate = todo(page).getByRole('link', { name: '1 commentaire à modérer' });
	await expect(moderate).toBeVisible();
	// What the demo has still to come: the upcoming seminar's call lacks facilitators, a post is scheduled.
	await expect(todo(page).getByRole('link', { name: '1 appel à référent·es où il manque du monde' })).toBeVisible();
	await expect(todo(page).getByRole('link', { name: '1 billet programmé' })).toBeVisible();
	// Nothing of what she has no part in, and no "(s)".
	await expect(todo(page)).not.toContainText('(s)');
	await expect(homeLink(page)).toHaveAccessibleName('Accueil, 4 éléments à traiter');
	await expectAccessible(page);
	await shot(page, 'coordinator');

	await moderate.click();
	await expect(page).toHaveURL(/\/l\/paca\/journal\/moderation$/);
	await expect(page.getByText('Le cahier des charges du Grand Lyon est-il consultable quelque part ?')).toBeVisible();
	// The badge follows her through the lab.
	await expect(homeLink(page)).toHaveAccessibleName('Accueil, 4 éléments à traiter');
	await expectAccessible(page);
});

test('a referent lands in their lab and sees the call waiting for their answer', async ({ page }) => {
	await login(page, DEMO.referent);
	await expect(page).toHaveURL(/\/l\/paca$/);
	const call = todo(page).getByRole('link', { name: '1 appel à référent·es attend votre réponse' });
	await expect(call).toBeVisible();
	// Only the referent's own items: nothing of the coordinator's.
	await expect(todo(page).getByRole('listitem')).toHaveCount(1);
	await expect(homeLink(page)).toHaveAccessibleName('Accueil, 1 élément à traiter');
	await expectAccessible(page);
	await shot(page, 'referent');
	// The call is answered signed in, on the referent's calls page.
	await call.click();
	await expect(page).toHaveURL(/\/l\/paca\/network\/me\/calls$/);
	await expect(
		page
			.getByRole('article')
			.getByRole('heading', { name: /Atelier de coproduction : l’accueil dans les antennes régionales/ })
			.first()
	).toBeVisible();
	await expectAccessible(page);
});

test('a resident with nothing waiting reads so; a sponsor sees the request they follow', async ({ page }) => {
	await login(page, DEMO.resident);
	await expect(page).toHaveURL(/\/l\/paca$/);
	await expect(todo(page).getByText('Rien ne vous attend pour le moment.')).toBeVisible();
	await expect(homeLink(page)).toHaveAccessibleName('Accueil');
	await expectAccessible(page);
	await shot(page, 'resident');
	await logout(page);

	await login(page, DEMO.sponsor);
	await expect(page).toHaveURL(/\/l\/paca$/);
	const followed = todo(page).getByRole('link', { name: '1 demande de financement suivie attend une décision' });
	await expect(followed).toBeVisible();
	await expect(todo(page).getByRole('listitem')).toHaveCount(1);
	await expectAccessible(page);
	await shot(page, 'sponsor');
	await followed.click();
	await expect(page).toHaveURL(/\/l\/paca\/fund$/);
	await expect(page.getByText('Fonction de coordination technique du labo')).toBeVisible();
	await expectAccessible(page);
});
