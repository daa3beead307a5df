import { expect } from '@playwright/test';
import { DEMO, open, expectAccessible, login, uid, test } from './helpers';

test('from a workshop to evidence: outputs, an experiment that tests one, the board, a verdict, and search', async ({ page }) => {
	const tag = uid();
	const workshop = `Atelier mobilité ${tag}`;
	const principle = `Écouter les usagers éloignés ${tag}`;
	const experiment = `Navette à la demande ${tag}`;
	await login(page, DEMO.resident);

	// The workshop and its two outputs.
	await open(page, '/l/paca/events/new');
	await page.getByLabel('Titre').fill(workshop);
	await page.getByLabel('Début').fill('2014-04-03T09:00');
	await page.getByLabel('Fin').fill('2014-04-03T12:00');
	await page.getByRole('button', { name: "Créer l'événement" }).click();
	await expect(page.getByRole('heading', { level: 1, name: workshop })).toBeVisible();
	await page.getByLabel('Productions à transformer en fiches').fill(`principe ; ${principle}\nidée ; Des ambassadeurs dans chaque village ${tag}`);
	await page.getByRole('button', { name: 'Créer les fiches' }).click();
	await expect(page.getByRole('link', { name: principle })).toBeVisible();

	// An experiment that tests the principle.
	await page.getByRole('navigation', { name: 'Navigation du labo' }).getByRole('link', { name: 'Expérimentations' }).click();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Nouvelle expérimentation' }).click();
	await expectAccessible(page);
	await page.getByLabel('Titre').fill(experiment);
	await page.getByLabel('Scénario').fill('Prototype avec un opérateur de transport');
	await page.getByLabel('Commanditaire').fill('Direction des transports');
	await page.getByLabel('Dans la continuité de').selectOption({ label: workshop });
	await page.getByRole('button', { name: "Créer l'expérimentation" }).click();
	await expect(page.getByRole('heading', { level: 1, name: experiment })).toBeVisible();
	await expect(page.getByRole('link', { name: workshop })).toBeVisible();
	await page.getByLabel('Fiche à tester').selectOption({ label: `${principle} (principe)` });
	await page.getByRole('button', { name: 'Tester cette fiche' }).click();
	await expect(page.getByText('pas encore de verdict')).toBeVisible();
	await expectAccessible(page);

	// Through the board to evaluation, with the keyboard.
	await page.getByRole('navigation', { name: 'Navigation du labo' }).getByRole('link', { name: 'Expérimentations' }).click();
	await page.getByRole('link', { name: 'Tableau' }).click();
	await expectAccessible(page);
	for (const status of ['cadrage', 'commande', 'en cours', 'évaluation']) {
		const button = page.getByRole('button', { name: `${experiment} : passer en « ${status} »` });
		await button.focus();
		await page.keyboard.press('Enter');
		await expect(page.getByRole('status').filter({ hasText: `« ${experiment} » est maintenant en ${status}.` })).toBeVisible();
		await expect(page.getByRole('region', { name: new RegExp(`^${status}`) }).getByRole('link', { name: experiment })).toBeVisible();
	}

	// The verdict, and the trace back on the principle.
	await page.getByRole('link', { name: experiment }).click();
	await page
		.getByRole('group', { name: `Verdict sur « ${principle} »` })
		.getByLabel('confirmé')
		.check();
	await page.getByLabel('Éléments de preuve').fill('Les habitants ont utilisé la navette chaque semaine.');
	await page.getByRole('button', { name: 'Enregistrer le verdict' }).click();
	await expect(page.getByText('confirmé', { exact: true }).first()).toBeVisible();
	await page.getByRole('link', { name: principle }).click();
	await expect(page.getByRole('region', { name: 'Testée par' }).getByText('confirmé')).toBeVisible();
	await expectAccessible(page);

	// Everything is found by a word typed without its accents.
	await page.goto(`/l/paca/search?q=${encodeURIComponent('ecouter usagers eloignes ' + tag)}`);
	await expect(page.getByRole('link', { name: principle })).toBeVisible();
	await page.goto(`/l/paca/search?q=${encodeURIComponent('navette ' + tag)}`);
	await expect(page.getByRole('link', { name: experiment })).toBeVisible();
	await page.goto(`/l/paca/search?q=${encodeURIComponent('mobilite ' + tag)}`);
	await expect(page.getByRole('link', { name: workshop })).toBeVisible();
});

test('a forbidden status jump is refused with a clear message', async ({ page }) => {
	await login(page, DEMO.coordinator);
	await page.goto('/l/paca/experiments/board');
	const card = page
		.getByRole('region', { name: /^évaluation/ })
		.getByRole('listitem')
		.first();
	const id = (await card.getAttribute('id'))!.replace('card-', '');
	// A stale or forged form: from "idea" straight to "running".
	const res = await page.request.post('/l/paca/experiments/board?/move', {
		form: { experimentId: id, from: 'evaluation', to: 'idea' },
		headers: { origin: new URL(page.url()).origin, accept: 'text/html' }
	});
	expect(res.status()).toBe(400);
	expect(await res.text()).toContain('une étape à la fois');
});

test('the list filters, exports CSV for French Excel, and shows the timeline', async ({ page }) => {
	await login(page, DEMO.sponsor);
	await page.goto('/l/paca/experiments');
	await page.getByLabel('Statut').selectOption('capitalised');
	await page.getByRole('button', { name: 'Filtrer' }).click();
	await expect(page.getByRole('link', { name: "Mon avenir Num'ERIC" })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Lycée Claret : commander un service de design' })).toHaveCount(0);
	await expectAccessible(page);
	const csv = await page.request.get('/l/paca/experiments/export.csv');
	const body = await csv.text();
	expect(body.charCodeAt(0)).toBe(0xfeff);
	expect(body).toContain('"titre";"statut"');
	expect(body).toContain('"Lycée Claret : commander un service de design";"évaluation"');
	await page.getByRole('link', { name: 'Chronologie' }).click();
	await expect(page.getByRole('link', { name: 'Lycée Claret : commander un service de design' }).first()).toBeVisible();
	await expectAccessible(page);
	// A sponsor reads but does not move cards.
	await page.getByRole('link', { name: 'Tableau' }).click();
	await expect(page.getByRole('button', { name: /passer en/ })).toHaveCount(0);
});

test('a partner sees only the experiments they are part of', async ({ page }) => {
	await login(page, DEMO.partner);
	await page.goto('/l/paca/experiments');
	await expect(page.getByRole('link', { name: "Mon avenir Num'ERIC" })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Lycée Claret : commander un service de design' })).toHaveCount(0);
	const csv = await (await page.request.get('/l/paca/experiments/export.csv')).text();
	expect(csv).not.toContain('Lycée Claret');
	await expectAccessible(page);
});
