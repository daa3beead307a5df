import { expect, type Page } from '@playwright/test';
import { DEMO, expectAccessible, login, open, test, uid } from './helpers';

/**
 * The coordinator sends a call for the demo's upcoming workshop to the referents with graphic
 * facilitation (Louise among them), with a message to tell it apart; returns the call's address.
 */
async function sendCall(page: Page, message: string): Promise<string> {
	await open(page, '/l/paca/network/calls/new');
	const select = page.getByLabel('Événement');
	const value = await select.locator('option', { hasText: 'accueil dans les antennes' }).first().getAttribute('value');
	await select.selectOption(value!);
	await page.getByLabel('Animateurs nécessaires').fill('1');
	await page.getByLabel('Facilitation graphique').check();
	await page.getByLabel('Date limite de réponse').fill(new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString().slice(0, 10));
	await page.getByLabel('Message aux référents').fill(message);
	await page.getByRole('button', { name: 'Créer le brouillon' }).click();
	await expect(page.getByRole('heading', { name: /Appel : Atelier de coproduction/ })).toBeVisible();
	await page.getByRole('button', { name: /Envoyer l’appel à \d+ référent/ }).click();
	await expect(page.getByRole('status').filter({ hasText: /Appel envoyé à \d+ référent/ })).toBeVisible();
	return page.url();
}

async function cancelCall(page: Page, url: string): Promise<void> {
	await open(page, url);
	await page.getByRole('button', { name: 'Annuler l’appel' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Appel annulé' })).toBeVisible();
}

test('a referent signed in on a phone answers a call from "À traiter", without the mailed link', async ({ page, browser }) => {
	test.setTimeout(120_000);
	const tag = uid();
	const answered = `Appel sur téléphone ${tag} : merci de répondre`;
	const closing = `Appel bientôt annulé ${tag}`;

	// The coordinator sends two calls; Louise is asked in both.
	await login(page, DEMO.coordinator);
	const answeredUrl = await sendCall(page, answered);
	const closingUrl = await sendCall(page, closing);

	// Louise, on her phone.
	const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
	const louise = await phone.newPage();
	await login(louise, DEMO.referent);
	await expect(louise).toHaveURL(/\/l\/paca$/);
	await louise
		.getByRole('region', { name: 'À traiter' })
		.getByRole('link', { name: /appels? à référent·es attend/ })
		.click();
	await expect(louise).toHaveURL(/\/l\/paca\/network\/me\/calls$/);
	await expect(louise.getByRole('heading', { level: 1, name: 'Mes appels à référent·es' })).toBeVisible();
	await expectAccessible(louise);
	// Nothing wider than the phone.
	expect(await louise.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

	const toAnswer = louise.getByRole('article').filter({ hasText: answered });
	const toBeClosed = louise.getByRole('article').filter({ hasText: closing });
	await expect(toAnswer.getByRole('heading', { name: /Atelier de coproduction : l’accueil dans les antennes régionales/ })).toBeVisible();
	await expect(toAnswer.getByText('pas de réponse')).toBeVisible();

	// Nobody else can answer for her: the coordinator's own session finds no such answer to give.
	const callId = answeredUrl.split('/').pop()!;
	const forged = await page.request.post('/l/paca/network/me/calls?/answer', {
		form: { callId, answer: 'no' },
		headers: { origin: new URL(page.url()).origin, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(forged.status()).toBe(404);

	// Meanwhile the coordinator cancels the other call: Louise's answer is refused, her choice kept.
	await cancelCall(page, closingUrl);
	await toBeClosed.getByRole('group', { name: 'Votre réponse' }).getByLabel('Peut-être').check();
	await toBeClosed.getByRole('button', { name: 'Envoyer ma réponse' }).click();
	await expect(toBeClosed.getByRole('alert').filter({ hasText: 'Cet appel n’est plus ouvert aux réponses.' })).toBeVisible();
	await expect(toBeClosed.getByLabel('Peut-être')).toBeChecked();
	await expectAccessible(louise);

	// She answers yes to the open one.
	await toAnswer.getByRole('group', { name: 'Votre réponse' }).getByLabel('Oui').check();
	await toAnswer.getByRole('button', { name: 'Envoyer ma réponse' }).click();
	await expect(louise.getByRole('status').filter({ hasText: 'Votre « oui » est enregistré' })).toBeVisible();
	const mine = louise.getByRole('region', { name: 'Mes réponses' });
	await expect(
		mine
			.getByRole('listitem')
			.filter({ hasText: /« Oui », le/ })
			.first()
	).toBeVisible();
	await expectAccessible(louise);

	// Saved: after a reload the call is no longer waiting, and the coordinator sees her yes.
	await open(louise, '/l/paca/network/me/calls');
	await expect(louise.getByRole('article').filter({ hasText: answered })).toHaveCount(0);
	await expect(louise.getByRole('article').filter({ hasText: closing })).toHaveCount(0);
	await open(page, answeredUrl);
	await expect(page.getByText(/1 oui/)).toBeVisible();

	// Her profile page leads here too.
	await open(louise, '/l/paca/network/me');
	await louise.getByRole('link', { name: 'Mes appels à référent·es' }).click();
	await expect(louise).toHaveURL(/\/l\/paca\/network\/me\/calls$/);
	await phone.close();

	// Leave the demo as it was: the answered call is closed too.
	await cancelCall(page, answeredUrl);
});
