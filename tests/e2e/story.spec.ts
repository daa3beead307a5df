import { expect, type Page } from '@playwright/test';
import { DEMO, expectAccessible, goToLabPage, login, open, uid, test } from './helpers';

/**
 * The lab's whole story, played as a newcomer would with only the README: the demo's
 * coordinator records a workshop and its outputs, turns one into an experiment, has it funded,
 * drafts its specification, calls referents for the coming seminar, forms the seminar's groups,
 * and publishes a journal post whose visitor comment she moderates. After login, every step
 * goes through what the pages show (sections, links, labels); no address is typed. Each page
 * reached is checked with axe, and every page's ids are watched for duplicates (helpers.ts).
 */

const nav = (page: Page) => page.getByRole('navigation', { name: 'Navigation du labo' });
const todo = (page: Page) => page.getByRole('region', { name: 'À traiter' });

/** A date `days` from today, for a date field. */
const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString().slice(0, 10);

test('a new coordinator plays the lab’s story from the README’s demo to a moderated comment', async ({ page, browser }) => {
	test.setTimeout(240_000);
	const tag = uid();
	const workshop = `Atelier accueil des usagers ${tag}`;
	const principle = `Un seul guichet pour les démarches ${tag}`;
	const experiment = `Guichet unique en antenne ${tag}`;
	const request = `Aménagement du guichet ${tag}`;
	const postTitle = `ce que l’atelier nous a appris ${tag}`;

	// The README's demo account: she belongs to two labs and chooses the demo's.
	await login(page, DEMO.coordinator);
	await expect(page.getByRole('heading', { level: 2, name: 'Vos labos' })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Labo PACA' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Labo PACA' })).toBeVisible();
	// What waits on her is the first thing on the home page.
	await expect(todo(page).getByRole('link', { name: /commentaires? à modérer/ })).toBeVisible();
	await expectAccessible(page);

	// 1. A workshop and its outputs.
	await goToLabPage(page, 'Ateliers', 'Événements');
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Nouvel événement' }).click();
	await expectAccessible(page);
	await page.getByLabel('Titre').fill(workshop);
	await page.getByLabel('Début').fill(`${inDays(-2)}T09:30`);
	await page.getByLabel('Fin').fill(`${inDays(-2)}T12:30`);
	await page.getByLabel('Lieu').fill('Antenne de Gap');
	await page.getByRole('button', { name: "Créer l'événement" }).click();
	await expect(page.getByRole('heading', { level: 1, name: workshop })).toBeVisible();
	await expectAccessible(page);
	await page
		.getByLabel('Productions à transformer en fiches')
		.fill(`principe ; ${principle}\nidée ; Des agents d’accueil formés aux démarches en ligne ${tag}`);
	await page.getByRole('button', { name: 'Créer les fiches' }).click();
	await expect(page.getByRole('status').filter({ hasText: '2 fiches créées.' })).toBeVisible();
	await expect(page.getByRole('link', { name: principle })).toBeVisible();

	// 2. An experiment that follows the workshop and tests its principle.
	await goToLabPage(page, 'Expérimentations', 'Portefeuille');
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Nouvelle expérimentation' }).click();
	await expectAccessible(page);
	await page.getByLabel('Titre').fill(experiment);
	await page.getByLabel('Scénario').fill('Un guichet unique ouvert deux jours par semaine dans une antenne');
	await page.getByLabel('Commanditaire').fill('Direction des relations aux usagers');
	await page.getByLabel('Dans la continuité de').selectOption({ label: workshop });
	await page.getByRole('button', { name: "Créer l'expérimentation" }).click();
	await expect(page.getByRole('heading', { level: 1, name: experiment })).toBeVisible();
	await page.getByLabel('Fiche à tester').selectOption({ label: `${principle} (principe)` });
	await page.getByRole('button', { name: 'Tester cette fiche' }).click();
	await expect(page.getByText('pas encore de verdict')).toBeVisible();
	await expectAccessible(page);

	// 3. Funded: a request drafted, corrected, submitted and decided.
	await goToLabPage(page, 'Expérimentations', 'Fonds');
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Nouvelle demande' }).click();
	await expectAccessible(page);
	await page.getByLabel('Expérimentations', { exact: true }).selectOption({ label: experiment });
	await page.getByLabel('Objet').fill(request);
	await page.getByLabel('Lignes budgétaires').fill('Mobilier ; achat ; 2 500\nSignalétique ; prestation ; 900');
	await page.getByRole('button', { name: 'Créer la demande (brouillon)' }).click();
	await expect(page.getByRole('heading', { level: 1, name: request })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Déposer la demande' }).click();
	await expect(page.getByText('déposée', { exact: true })).toBeVisible();
	await page.getByLabel('Montant accordé (€)').fill('3 000');
	await page.getByLabel('Motif').fill('La signalétique est prise en charge par la direction.');
	await page.getByRole('button', { name: 'Enregistrer' }).click();
	await expect(page.getByText('accordée', { exact: true })).toBeVisible();
	await expect(page.getByText('3 000,00 €').first()).toBeVisible();
	await expectAccessible(page);

	// 4. Its specification, from the lab's template.
	await goToLabPage(page, 'Expérimentations', 'Commande');
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Modèle : AMO et service de design des politiques publiques' }).click();
	await expectAccessible(page);
	await page.getByLabel('Pour l’expérimentation').selectOption({ label: experiment });
	await page.getByRole('button', { name: 'Créer' }).click();
	await expect(page.getByRole('heading', { level: 1, name: `Cahier des charges — ${experiment}` })).toBeVisible();
	await expect(page.getByText(`conduit l'expérimentation « ${experiment} »`)).toBeVisible();
	await page.getByRole('button', { name: 'Passer en relecture' }).click();
	await expect(page.getByText('en relecture', { exact: true })).toBeVisible();
	await expectAccessible(page);

	// 5. A call for referents for the coming seminar (the demo's, dated from today).
	const seminar = 'Séminaire de coproduction : simplifier les démarches des usagers';
	await nav(page).getByRole('link', { name: 'Réseau', exact: true }).click();
	await expectAccessible(page);
	await page.getByRole('navigation', { name: 'Rubriques du réseau' }).getByRole('link', { name: 'Appels' }).click();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Nouvel appel' }).click();
	// Past events are not offered, and the page says so.
	await expect(page.getByText(/événements passés ne sont pas proposés/)).toBeVisible();
	await expectAccessible(page);
	const choice = page.getByLabel('Événement');
	await choice.selectOption((await choice.locator('option', { hasText: seminar }).getAttribute('value'))!);
	await page.getByLabel('Animateurs nécessaires').fill('2');
	await page.getByLabel('Date limite de réponse').fill(inDays(10));
	await page.getByRole('button', { name: 'Créer le brouillon' }).click();
	await expect(page.getByRole('heading', { name: `Appel : ${seminar}` })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: /Envoyer l’appel à \d+ référent/ }).click();
	await expect(page.getByRole('status').filter({ hasText: /Appel envoyé à \d+ référent/ })).toBeVisible();

	// 6. The seminar's co-production groups.
	await goToLabPage(page, 'Ateliers', 'Événements');
	await page.getByRole('link', { name: seminar }).click();
	await expect(page.getByRole('heading', { level: 1, name: seminar })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Former les groupes de coproduction' }).click();
	await expect(page.getByRole('heading', { level: 1, name: /Groupes de coproduction/ })).toBeVisible();
	await page.locator('html[data-ready]').waitFor({ state: 'attached' });
	await expectAccessible(page);
	await page.getByRole('button', { name: /Former les groupes/ }).click();
	await expect(page.getByText(/Proposition non enregistrée/)).toBeVisible({ timeout: 30_000 });
	await page.getByRole('button', { name: /Enregistrer ces groupes \(version 1\)/ }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Groupes enregistrés (version 1).' })).toBeVisible();
	await expect(page.getByRole('heading', { level: 3, name: /^Groupe \d/ })).toHaveCount(5);
	await expectAccessible(page);

	// 7. A journal post, published at once.
	await nav(page).getByRole('link', { name: 'Journal', exact: true }).click();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Gérer le journal' }).click();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Nouveau billet' }).click();
	await expectAccessible(page);
	await page.getByLabel('Titre', { exact: true }).fill(postTitle);
	await page.getByLabel('Chapeau').fill('Retour sur l’atelier consacré à l’accueil des usagers.');
	await page.getByLabel('Texte (markdown)').fill(`L’atelier a produit deux fiches ; l’une est testée par « ${experiment} ».`);
	await page.getByRole('button', { name: 'Créer le brouillon' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Brouillon créé' })).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Publier maintenant' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Billet publié.' })).toBeVisible();
	await expect(page.getByRole('heading', { level: 2, name: 'État : publié' })).toBeVisible();

	// A visitor reads it on the lab's public journal and comments.
	const visitorCtx = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
	const visitor = await visitorCtx.newPage();
	await open(visitor, '/l/paca/journal');
	await visitor
		.getByRole('link', { name: new RegExp(postTitle) })
		.first()
		.click();
	await expect(visitor.getByRole('heading', { level: 1, name: postTitle })).toBeVisible();
	await expectAccessible(visitor);
	const postUrl = visitor.url();
	await visitor.getByLabel('Nom', { exact: true }).fill('Inès Visiteuse');
	await visitor.getByLabel('Adresse e-mail').fill('ines@exemple.fr');
	await visitor.getByLabel('Commentaire', { exact: true }).fill('Le guichet ouvrira-t-il aussi le samedi ?');
	// Comments typed faster than a person can are refused: take the time a reader would.
	await visitor.waitForTimeout(3_500);
	await visitor.getByRole('button', { name: 'Envoyer le commentaire' }).click();
	await expect(visitor.getByRole('status').filter({ hasText: 'sera publié après relecture' })).toBeVisible();

	// 8. The comment waits on her home page; she approves it and the visitor sees it.
	await nav(page)
		.getByRole('link', { name: /^Accueil/ })
		.click();
	await todo(page)
		.getByRole('link', { name: /commentaires? à modérer/ })
		.click();
	await expect(page.getByText('Le guichet ouvrira-t-il aussi le samedi ?')).toBeVisible();
	await expectAccessible(page);
	await page.getByRole('button', { name: /Approuver — .*Inès Visiteuse/ }).click();
	await expect(page.getByText('Inès Visiteuse')).toHaveCount(0);
	await open(visitor, postUrl);
	await expect(visitor.locator('#comments')).toContainText('Le guichet ouvrira-t-il aussi le samedi ?');
	await visitorCtx.close();
});
