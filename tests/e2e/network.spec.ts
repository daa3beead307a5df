import { expect, type Browser, type Page } from '@playwright/test';
import { DEMO, open, expectAccessible, login, logout, waitForMail, test } from './helpers';

/** The demo's upcoming workshop, chosen by its title in the list of events. */
async function chooseEvent(page: Page) {
	const select = page.getByLabel('Événement');
	const value = await select.locator('option', { hasText: 'accueil dans les antennes' }).first().getAttribute('value');
	await select.selectOption(value!);
}

const yesLink = (text: string) => /https?:\/\/\S+\/network\/answer\/[\w-]+\?r=yes/.exec(text)?.[0];

/** Answers through the e-mailed link in a fresh browser: no session, no cookie. */
async function answerYes(browser: Browser, link: string) {
	const ctx = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
	const page = await ctx.newPage();
	await open(page, link);
	await expect(page.getByRole('heading', { name: 'Répondre à un appel à référent·es' })).toBeVisible();
	await expect(page.getByLabel('Oui')).toBeChecked();
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Votre « oui » est enregistré' })).toBeVisible();
	// The link works once.
	await open(page, link);
	await expect(page.getByText(/Vous avez déjà répondu « Oui »/)).toBeVisible();
	await ctx.close();
}

test('an agent joins with consent, a call is answered by e-mail, the assignment is confirmed with an invitation, a referent withdraws', async ({
	page,
	browser
}) => {
	test.setTimeout(120_000);

	// 1. Bernard, the director general, joins the network: nothing is kept without his consent.
	await login(page, DEMO.sponsor);
	await open(page, '/l/paca/network');
	await expect(page).toHaveURL(/\/l\/paca\/network\/me$/);
	await expect(page.getByRole('heading', { name: 'Rejoindre le réseau des référents de Labo PACA' })).toBeVisible();
	await expect(page.getByText('constitue un réseau de référents')).toBeVisible();
	await expectAccessible(page);
	await page.getByLabel('Direction', { exact: true }).fill('Direction générale des services');
	await page.getByLabel('Territoire').selectOption('13');
	await page.getByLabel('Facilitation graphique').check();
	await page.getByRole('button', { name: 'Rejoindre le réseau' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'cochez la case d’accord' })).toBeVisible();
	// What he typed is still there.
	await expect(page.getByLabel('Direction', { exact: true })).toHaveValue('Direction générale des services');
	await expect(page.getByLabel('Facilitation graphique')).toBeChecked();
	await page.getByLabel(/J’ai lu l’objet du réseau/).check();
	await page.getByRole('button', { name: 'Rejoindre le réseau' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Bienvenue dans le réseau' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Niveau : observateur·rice' })).toBeVisible();
	await expectAccessible(page);
	await logout(page);

	// 2. The coordinator calls for a facilitator with graphic facilitation for the upcoming workshop.
	await login(page, DEMO.coordinator);
	await open(page, '/l/paca/network');
	await expect(page.getByRole('heading', { level: 1, name: 'Réseau des référents' })).toBeVisible();
	await expectAccessible(page);
	await page.getByLabel('Compétence').selectOption({ label: 'Facilitation graphique' });
	await page.getByRole('button', { name: 'Filtrer' }).click();
	await expect(page.getByRole('table').getByRole('link', { name: 'Bernard Exemple' })).toBeVisible();

	await open(page, '/l/paca/network/calls/new');
	await expectAccessible(page);
	await chooseEvent(page);
	await page.getByLabel('Animateurs nécessaires').fill('1');
	await page.getByLabel('Facilitation graphique').check();
	const deadline = new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString().slice(0, 10);
	await page.getByLabel('Date limite de réponse').fill(deadline);
	await page.getByRole('button', { name: 'Créer le brouillon' }).click();
	await expect(page.getByRole('heading', { name: /Appel : Atelier de coproduction/ })).toBeVisible();
	await expectAccessible(page);
	await page.getByText('Voir les personnes qui recevront l’appel').click();
	await expect(page.locator('.names')).toContainText('Louise Exemple');
	await expect(page.locator('.names')).toContainText('Bernard Exemple');
	const sentAt = Date.now();
	await page.getByRole('button', { name: /Envoyer l’appel à \d+ référent/ }).click();
	await expect(page.getByRole('status').filter({ hasText: /Appel envoyé à \d+ référent/ })).toBeVisible();
	const callUrl = page.url();

	// 3. Two referents answer yes from their e-mail, without logging in (this call's mails, not
	// those of a call an earlier test sent on the same event).
	const toLouise = await waitForMail(DEMO.referent, /Appel à référent·es/, { since: sentAt });
	const toBernard = await waitForMail(DEMO.sponsor, /Appel à référent·es/, { since: sentAt });
	expect(toLouise.text).toContain('/network/me/');
	await answerYes(browser, yesLink(toLouise.text)!);
	await answerYes(browser, yesLink(toBernard.text)!);

	// 4. The coordinator sees the answers and accepts the proposal: Louise leads, Bernard is paired with her.
	await open(page, callUrl);
	await expect(page.getByText(/2 oui/)).toBeVisible();
	await expect(page.getByLabel('Rôle de Louise Exemple')).toHaveValue('facilitator');
	await expect(page.getByLabel('Rôle de Bernard Exemple')).toHaveValue('co_facilitator');
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Accepter la proposition' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Affectation enregistrée : 2 confirmations envoyées' })).toBeVisible();
	const confirmation = await waitForMail(DEMO.referent, /Confirmation : vous animez/);
	expect(confirmation.text).toContain('Bernard Exemple');
	expect(confirmation.attachments[0]?.filename).toBe('invitation.ics');
	expect(confirmation.attachments[0]?.content).toContain('BEGIN:VEVENT');
	expect(confirmation.attachments[0]?.content).toContain('accueil dans les antennes');

	await open(page, '/l/paca/network/dashboard');
	await expect(page.getByRole('heading', { level: 1, name: 'Tableau de bord du réseau' })).toBeVisible();
	await expectAccessible(page);
	await logout(page);

	// 5. Louise withdraws: at once out of the directory and of new calls.
	await login(page, DEMO.referent);
	await open(page, '/l/paca/network/me');
	await expect(page.getByRole('heading', { name: /Niveau : animateur·rice/ })).toBeVisible();
	await page.getByRole('button', { name: 'Me retirer du réseau' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Vous vous êtes retiré·e du réseau' })).toBeVisible();
	await logout(page);

	await login(page, DEMO.coordinator);
	await open(page, '/l/paca/network?q=Louise');
	await expect(page.getByText('Aucun référent ne correspond')).toBeVisible();
	await open(page, '/l/paca/network/calls/new');
	await chooseEvent(page);
	await page.getByLabel('Facilitation graphique').check();
	await page.getByLabel('Date limite de réponse').fill(deadline);
	await page.getByRole('button', { name: 'Créer le brouillon' }).click();
	await page.getByText('Voir les personnes qui recevront l’appel').click();
	await expect(page.locator('.names')).toContainText('Fabien Exemple');
	await expect(page.locator('.names')).not.toContainText('Louise Exemple');
	// Bernard gives one day a month and is already assigned that month: not asked again either.
	await expect(page.locator('.names')).not.toContainText('Bernard Exemple');
});

test('a call needing more people than match says how many it found; a deadline after the event is refused', async ({ page }) => {
	await login(page, DEMO.coordinator);
	await open(page, '/l/paca/network/calls/new');
	// The demo's 2013–2014 events are not offered, and the page says so.
	await expect(page.getByText(/^\d+ événements passés ne sont pas proposés/)).toBeVisible();
	await expect(page.getByLabel('Événement').locator('option', { hasText: 'Séminaire des directeurs, janvier 2014' })).toHaveCount(0);
	await expect(page.getByLabel('Événement').locator('option', { hasText: 'Séminaire de coproduction : simplifier les démarches des usagers' })).toHaveCount(1);
	await chooseEvent(page);
	await page.getByLabel('Animateurs nécessaires').fill('40');
	await page.getByLabel('Niveau requis').selectOption('trainer');
	const deadline = new Date(Date.now() + 5 * 24 * 3600 * 1000).toISOString().slice(0, 10);
	await page.getByLabel('Date limite de réponse').fill(deadline);
	await page.getByRole('button', { name: 'Créer le brouillon' }).click();
	await expect(
		page.getByRole('alert').filter({ hasText: /Il faut 40 animateurs, mais seulement (1 référent correspond|\d+ référents correspondent) au niveau/ })
	).toBeVisible();

	// A deadline after the event is refused, with what was typed kept.
	await open(page, '/l/paca/network/calls/new');
	await chooseEvent(page);
	await page.getByLabel('Message aux référents').fill('Merci de votre aide');
	await page.getByLabel('Date limite de réponse').fill('2099-01-01');
	await page.getByRole('button', { name: 'Créer le brouillon' }).click();
	await expect(page.getByText('La date limite doit précéder l’événement.').first()).toBeVisible();
	await expect(page.getByLabel('Message aux référents')).toHaveValue('Merci de votre aide');
});
