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
	await page.locator('label', { hasText: /^\s*Leçon\s*$/ }).click();
	await expect(lesson).toBeFocused();
	await expect(lesson).toHaveAttribute('name', 'title');
	expect(await lesson.evaluate((el) => el.closest('form')!.getAttribute('action'))).toBe('?/lesson');
	await expectUniqueIds(page);
});
