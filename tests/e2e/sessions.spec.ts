import { expect, type Page } from '@playwright/test';
import { DEMO, open, expectAccessible, login, test } from './helpers';

async function openSeminarGroups(page: Page) {
	await open(page, '/l/paca/events');
	await page.getByRole('link', { name: 'Séminaire des directeurs, janvier 2014' }).click();
	await page.getByRole('link', { name: 'Former les groupes de coproduction' }).click();
	await expect(page.getByRole('heading', { level: 1, name: /Groupes de coproduction : Séminaire des directeurs/ })).toBeVisible();
	await page.locator('html[data-ready]').waitFor({ state: 'attached' });
}

test('the seminar organiser forms diverse groups, watches the search, swaps two people, saves and prints', async ({ page }) => {
	test.setTimeout(90_000);
	await login(page, DEMO.resident);
	await openSeminarGroups(page);
	await expect(page.getByRole('heading', { name: 'Participants (60)' })).toBeVisible();
	// The demo's first version: eight groups, one referent facilitating each.
	await expect(page.getByRole('heading', { level: 3, name: /^Groupe \d/ })).toHaveCount(8);
	await expect(page.getByText('Animation : Louise Exemple')).toBeVisible();
	await expectAccessible(page);

	// Forming the groups again runs in the browser's worker, with a progress bar.
	await page.getByRole('button', { name: /Former les groupes/ }).click();
	await expect(page.getByRole('progressbar')).toBeVisible();
	await expect(page.getByText(/Recherche en cours : meilleur score/)).toBeVisible();
	await expect(page.getByText(/Proposition non enregistrée/)).toBeVisible({ timeout: 15_000 });

	// Swap two people with the keyboard-operable buttons; the score is recomputed at once.
	const groupOf = (n: number) => page.locator('section.group').filter({ has: page.getByRole('heading', { level: 3, name: new RegExp(`^Groupe ${n} `) }) });
	const first = groupOf(1).locator('.members li').first();
	const second = groupOf(2).locator('.members li').first();
	const a = (await first.locator('.name').textContent())!.trim();
	const b = (await second.locator('.name').textContent())!.trim();
	await first.getByRole('button', { name: new RegExp(`^Échanger ${a}`) }).focus();
	await page.keyboard.press('Enter');
	await expect(page.getByText(`${a} est choisi·e`)).toBeVisible();
	await second.getByRole('button', { name: new RegExp(`^Échanger avec ${a}`) }).click();
	await expect(page.getByText(`${a} et ${b} ont été échangés.`)).toBeVisible();
	await expect(groupOf(1).locator('.members')).toContainText(b);
	await expect(groupOf(2).locator('.members')).toContainText(a);

	await page.getByRole('button', { name: /Enregistrer ces groupes \(version 2\)/ }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Groupes enregistrés (version 2).' })).toBeVisible();
	await expect(groupOf(2).locator('.members')).toContainText(a);

	// Printable lists: one sheet per group with its facilitator, then table cards.
	await page.getByRole('link', { name: 'Imprimer les listes' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Listes des groupes et chevalets' })).toBeVisible();
	await expect(page.locator('section.sheet')).toHaveCount(8);
	await expect(page.locator('.card-table')).toHaveCount(8);
	await expectAccessible(page);
	await page.emulateMedia({ media: 'print' });
	await expect(page.getByRole('heading', { level: 1, name: 'Listes des groupes et chevalets' })).toBeHidden();
	await page.emulateMedia({ media: 'screen' });

	// CSV export.
	const csv = await page.request.get(page.url().replace(/\/print$/, '/export.csv'));
	expect(csv.status()).toBe(200);
	expect(await csv.text()).toContain(a);

	// Each participant's own link shows their group, without logging in.
	await page.getByRole('link', { name: 'Retour aux groupes' }).click();
	// A personal link is issued on demand and shown once.
	await page.getByRole('button', { name: new RegExp(`Nouveau lien — ${a}`) }).click();
	const link = await page.getByRole('status').filter({ hasText: a }).getByRole('link', { name: /\/g\// }).getAttribute('href');
	const ctx = await page.context().browser()!.newContext({ locale: 'fr-FR' });
	const anon = await ctx.newPage();
	await open(anon, link!);
	await expect(anon.getByRole('heading', { name: 'Vous êtes dans le groupe 2' })).toBeVisible();
	await expect(anon.getByText(b)).toHaveCount(0);
	await expectAccessible(anon);
	await ctx.close();
});

test('impossible settings are explained before any search', async ({ page }) => {
	await login(page, DEMO.resident);
	await openSeminarGroups(page);
	const [a, b] = await page.locator('tbody th[scope="row"]').evaluateAll((ths) => ths.slice(0, 2).map((th) => th.textContent!.trim()));
	await page.getByLabel('Ensemble', { exact: true }).fill(`${a} + ${b}`);
	await page.getByLabel('Séparés', { exact: true }).fill(`${a} / ${b}`);
	await page.getByRole('button', { name: 'Enregistrer les réglages' }).click();
	await expect(page.getByRole('alert').filter({ hasText: `${a} et ${b} doivent à la fois être ensemble et séparés` })).toBeVisible();
	await expect(page.getByRole('button', { name: /Former les groupes/ })).toBeDisabled();
	// What was typed stays.
	await expect(page.getByLabel('Séparés', { exact: true })).toHaveValue(`${a} / ${b}`);

	await page.getByLabel('Séparés', { exact: true }).fill('Personne Inconnue / ' + a);
	await page.getByRole('button', { name: 'Enregistrer les réglages' }).click();
	await expect(page.getByText('Ligne 1 : « Personne Inconnue » n’est pas un participant de la session.').first()).toBeVisible();

	await page.getByLabel('Séparés', { exact: true }).fill('');
	await page.getByLabel('Ensemble', { exact: true }).fill('');
	await page.getByLabel('Nombre de groupes', { exact: true }).fill('100');
	await page.getByRole('button', { name: 'Enregistrer les réglages' }).click();
	await expect(page.getByRole('alert').filter({ hasText: '100 groupes pour 60 participants' })).toBeVisible();

	await page.getByLabel('Nombre de groupes', { exact: true }).fill('8');
	const ticked = page.getByRole('group', { name: 'Animateurs' }).getByRole('checkbox', { checked: true });
	while ((await ticked.count()) > 0) await ticked.first().uncheck();
	await page
		.getByRole('group', { name: 'Animateurs' })
		.getByRole('checkbox', { name: /Agathe Exemple/ })
		.check();
	await page.getByRole('button', { name: 'Enregistrer les réglages' }).click();
	await expect(page.getByRole('alert').filter({ hasText: '1 animateur pour 8 groupes' })).toContainText('lancez un appel à référent·es');
	await expectAccessible(page);
});

test('participants are imported from CSV with every bad line shown, then grouped with facilitators', async ({ page }) => {
	test.setTimeout(90_000);
	await login(page, DEMO.resident);
	await open(page, '/l/paca/events');
	await page.getByRole('link', { name: /accueil dans les antennes/ }).click();
	await page.getByRole('link', { name: 'Former les groupes de coproduction' }).click();
	await expect(page.getByRole('heading', { name: 'Participants (0)' })).toBeVisible();
	await page.getByRole('link', { name: 'Importer des participants (CSV)' }).click();
	await page.locator('html[data-ready]').waitFor({ state: 'attached' });
	await expectAccessible(page);

	const header = 'nom;email;organisation;type_acteur;echelle;direction';
	const bad = [
		header,
		'Agent Un;agent1@exemple.fr;Région;public;région;Lycées',
		'Agent Deux;pas-un-email;Région;public;région;Lycées',
		'Agent Un;agent1@exemple.fr;Région;public;région;Lycées',
		';agent5@exemple.fr;Région;public;région;'
	].join('\n');
	await page.getByLabel('Fichier CSV des participants').setInputFiles({ name: 'participants.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
	await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
	await expect(page.getByText(/^Ligne 3 :/)).toBeVisible();
	await expect(page.getByText(/^Ligne 4 :/)).toBeVisible();
	await expect(page.getByText(/^Ligne 5 :/)).toBeVisible();
	await expect(page.getByRole('button', { name: /Importer \d+ participant/ })).toHaveCount(0);

	const types = ['public', 'privé', 'associatif', 'citoyen', 'institutionnel'];
	const scales = ['commune', 'intercommunalité', 'département', 'région', 'État'];
	const rows = Array.from(
		{ length: 12 },
		(_, i) => `Invité ${i + 1} Exemple;invite${i + 1}@exemple.fr;Organisation ${i % 4};${types[i % 5]};${scales[(i * 2) % 5]};`
	);
	await page
		.getByLabel('Fichier CSV des participants')
		.setInputFiles({ name: 'participants.csv', mimeType: 'text/csv', buffer: Buffer.from([header, ...rows].join('\n')) });
	await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
	await page.getByRole('button', { name: 'Importer 12 participants' }).click();
	await expect(page.getByText('Import terminé : 12 ajoutés, 0 mis à jour, 0 inchangé.')).toBeVisible();
	await page.getByRole('link', { name: 'Retour aux groupes de la session' }).click();
	await expect(page.getByRole('heading', { name: 'Participants (12)' })).toBeVisible();
	await page.locator('html[data-ready]').waitFor({ state: 'attached' });

	await page.getByLabel('Nombre de groupes', { exact: true }).fill('3');
	const facilitators = page.getByRole('group', { name: 'Animateurs' });
	for (const name of ['Agathe Exemple', 'Baptiste Exemple', 'Céline Exemple']) await facilitators.getByRole('checkbox', { name: new RegExp(name) }).check();
	await page.getByRole('button', { name: 'Enregistrer les réglages' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Réglages enregistrés.' })).toBeVisible();
	await page.locator('html[data-ready]').waitFor({ state: 'attached' });
	await page.getByRole('button', { name: /Former les groupes/ }).click();
	await expect(page.getByText(/Proposition non enregistrée/)).toBeVisible({ timeout: 15_000 });
	await expect(page.getByRole('heading', { level: 3, name: /^Groupe \d/ })).toHaveCount(3);
	await page.getByRole('button', { name: /Enregistrer ces groupes \(version 1\)/ }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Groupes enregistrés (version 1).' })).toBeVisible();
	await expect(page.getByText(/^Animation : (Agathe|Baptiste|Céline) Exemple$/)).toHaveCount(3);
	await page.getByRole('link', { name: 'Imprimer les listes' }).click();
	await expect(page.locator('section.sheet')).toHaveCount(3);
});
