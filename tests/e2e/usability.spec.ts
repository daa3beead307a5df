import { expect, type Page } from '@playwright/test';
import { DEMO, expectUniqueIds, open, login, test } from './helpers';

async function openSeminarGroups(page: Page) {
	await open(page, '/l/paca/events');
	await page.getByRole('link', { name: 'Séminaire des directeurs, janvier 2014' }).click();
	await page.getByRole('link', { name: 'Former les groupes de coproduction' }).click();
	await page.locator('html[data-ready]').waitFor({ state: 'attached' });
}

test('a refused move puts the "move to" list back on the person’s current group', async ({ page }) => {
	await login(page, DEMO.resident);
	await openSeminarGroups(page);
	const group = (n: number) => page.locator('section.group').filter({ has: page.getByRole('heading', { level: 3, name: new RegExp(`^Groupe ${n} `) }) });
	const name = (await group(1).locator('.members li .name').first().textContent())!.trim();
	// Pin that person to the group they are in: moving them elsewhere is then refused.
	await page.getByLabel('Placés', { exact: true }).fill(`${name} = 1`);
	await page.getByRole('button', { name: 'Enregistrer les réglages' }).click();
	await expect(page.getByLabel('Placés', { exact: true })).toHaveValue(`${name} = 1`);
	const select = group(1).getByLabel(`Déplacer ${name} vers`);
	await expect(select).toHaveValue('0');
	await select.selectOption({ label: 'Groupe 2' });
	await expect(page.locator('.notice .alert.error')).toHaveText(`Impossible de déplacer ${name} : cette personne est placée dans le groupe 1.`);
	await expect(select).toHaveValue('0');
	await expect(group(1).locator('.members')).toContainText(name);
	// Clean up for the other tests.
	await page.getByLabel('Placés', { exact: true }).fill('');
	await page.getByRole('button', { name: 'Enregistrer les réglages' }).click();
	await expect(page.getByLabel('Placés', { exact: true })).toHaveValue('');
});

test('backlinks agree with what the page shows: « Mentionné dans » on an event', async ({ page }) => {
	await login(page, DEMO.resident);
	await open(page, '/l/paca/events');
	await page.getByRole('link', { name: 'Séminaire des directeurs, janvier 2014' }).click();
	await expect(page.getByRole('heading', { level: 2, name: 'Mentionné dans', exact: true })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Mentionnée dans' })).toHaveCount(0);
});

test('the experiment search box says it searches experiments', async ({ page }) => {
	await login(page, DEMO.resident);
	await open(page, '/l/paca/experiments');
	await expect(page.getByRole('searchbox', { name: /^Rechercher une expérimentation/ })).toBeVisible();
	await expect(page.getByLabel('Rechercher un nom ou une adresse')).toHaveCount(0);
});

test('on an experiment, each label names its own field: « Leçon » is the lesson’s title, « Jalon » the milestone’s', async ({ page }) => {
	await login(page, DEMO.resident);
	await open(page, '/l/paca/experiments');
	await page.getByRole('link', { name: 'Lycée Claret : commander un service de design' }).click();
	await page.locator('html[data-ready]').waitFor({ state: 'attached' });
	const lesson = page.getByRole('textbox', { name: 'Leçon', exact: true });
	const milestone = page.getByRole('textbox', { name: 'Jalon', exact: true });
	await expect(lesson).toHaveCount(1);
	await expect(milestone).toHaveCount(1);
	await page.locator('label', { hasText: /^\s*Leçon(\s*\(obligatoire\))?\s*$/ }).click();
	await expect(lesson).toBeFocused();
	await expect(lesson).toHaveAttribute('name', 'title');
	expect(await lesson.evaluate((el) => el.closest('form')!.getAttribute('action'))).toBe('?/lesson');
	await expectUniqueIds(page);
});

test('a very long pasted event title is not cut by the browser: the server says how long it is and keeps it', async ({ page }) => {
	await login(page, DEMO.resident);
	await open(page, '/l/paca/events/new');
	const long = 'Atelier '.repeat(40); // 320 characters
	const title = page.getByLabel('Titre', { exact: true });
	await title.fill(long);
	await expect(title).toHaveValue(long);
	await page.getByLabel('Début', { exact: true }).fill('2031-05-14T09:00');
	await page.getByLabel('Fin', { exact: true }).fill('2031-05-14T12:00');
	await page.getByRole('button', { name: "Créer l'événement" }).click();
	await expect(page.getByText(`200 caractères au plus, vous en avez saisi ${long.trim().length}.`)).toBeVisible();
	await expect(page.getByLabel('Titre', { exact: true })).toHaveValue(long);
});

test('a coordinator cancels an event (kept, marked) and deletes one entered by mistake, after confirming', async ({ page }) => {
	await login(page, DEMO.coordinator);
	await open(page, '/l/paca/events/new');
	await page.getByLabel('Titre', { exact: true }).fill('Atelier saisi deux fois');
	await page.getByLabel('Début', { exact: true }).fill('2031-06-14T09:00');
	await page.getByLabel('Fin', { exact: true }).fill('2031-06-14T12:00');
	await page.getByRole('button', { name: "Créer l'événement" }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Atelier saisi deux fois' })).toBeVisible();
	await page.locator('html[data-ready]').waitFor({ state: 'attached' });

	await page.getByLabel('Motif (facultatif)').fill('Salle indisponible');
	await page.getByRole('button', { name: 'Annuler l’événement' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Événement annulé. Il reste dans l’historique.' })).toBeVisible();
	await expect(page.getByText(/Événement annulé le/)).toBeVisible();
	await expect(page.getByText('Motif : Salle indisponible')).toBeVisible();

	await page.getByText('Supprimer', { exact: true }).click();
	await page.getByRole('button', { name: 'Supprimer définitivement' }).click();
	await expect(page.getByText('Cochez la case pour confirmer la suppression.')).toBeVisible();
	await expect(page.getByLabel('Je confirme la suppression définitive de cet événement.')).toBeFocused();
	await page.getByLabel('Je confirme la suppression définitive de cet événement.').check();
	await page.getByRole('button', { name: 'Supprimer définitivement' }).click();
	await expect(page).toHaveURL(/\/events\?deleted/);
	await expect(page.getByRole('status').filter({ hasText: 'Événement supprimé.' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Atelier saisi deux fois' })).toHaveCount(0);
});

test('the experiment page lists its sections, and after a form is sent focus stays on its result', async ({ page }) => {
	await login(page, DEMO.resident);
	await open(page, '/l/paca/experiments');
	await page.getByRole('link', { name: 'Lycée Claret : commander un service de design' }).click();
	await page.locator('html[data-ready]').waitFor({ state: 'attached' });
	const nav = page.getByRole('navigation', { name: 'Sur cette page' });
	await expect(nav.getByRole('link', { name: 'Jalons' })).toHaveAttribute('href', '#milestones-h');
	await expect(nav.getByRole('link', { name: 'Leçons' })).toHaveAttribute('href', '#lessons-h');

	const milestoneForm = page.locator('form[action="?/milestone"]');
	const due = milestoneForm.getByLabel('Date', { exact: true });
	const title = milestoneForm.getByRole('textbox', { name: 'Jalon', exact: true });
	// A refused milestone (a title too long, told by the server): focus goes to the field in error.
	await title.fill('x'.repeat(250));
	await due.fill('2031-01-15');
	await due.press('Enter');
	await expect(milestoneForm.getByText('200 caractères au plus, vous en avez saisi 250.')).toBeVisible();
	await expect(title).toBeFocused();
	await title.fill('Restitution aux élèves');

	// Accepted: focus goes to the milestones' status, which says so; the page does not jump to the top.
	await due.fill('2031-01-15');
	await due.press('Enter');
	const status = page.locator('#milestones-status');
	await expect(status).toContainText('Jalon ajouté.');
	await expect(status).toBeFocused();
	await expect(page.locator('li', { hasText: 'Restitution aux élèves' }).first()).toBeVisible();
});

test.describe('the e2e duplicate-id guard', () => {
	// The guard itself must catch a duplicate id appearing in a page: this test is expected to fail.
	test.fail();
	test('fails a test whose page shows the same id twice', async ({ page }) => {
		await open(page, '/login');
		await page.evaluate(() => {
			for (let i = 0; i < 2; i++) document.body.appendChild(Object.assign(document.createElement('p'), { id: 'twice' }));
		});
		// The watcher marks the page once it has reported; the failure comes from the guard.
		await page.locator('html[data-e2e-duplicate-ids]').waitFor({ state: 'attached' });
	});
});
