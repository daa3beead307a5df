import { expect, test } from '@playwright/test';
import { DEMO, expectAccessible, login, open, uid, waitForMail } from './helpers';

test('an installation admin creates a lab, has its coordinator invited, and disables then enables that account', async ({ page, browser }) => {
	const id = uid();
	const slug = `e2e-${id}`;
	const labName = `Labo Essai ${id}`;
	const email = `coordination-${id}@essai.example`;
	const password = 'un-mot-de-passe-solide';

	// Camille, the demo coordinator, is also the installation's admin: the header offers the area.
	await login(page, DEMO.coordinator);
	await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Installation' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Installation' })).toBeVisible();
	const labs = page.getByRole('table', { name: 'Labos' });
	await expect(labs.getByRole('row', { name: /Labo PACA/ })).toBeVisible();
	await expectAccessible(page);

	// A wrong identifier is explained, and what was typed stays.
	const create = page.locator('form[action="?/lab"]');
	await create.getByLabel('Nom du labo').fill(labName);
	await create.getByLabel('Identifiant').fill('Labo Essai');
	await create.getByLabel('Région').fill('Bretagne');
	await create.getByRole('button', { name: 'Créer le labo' }).click();
	await expect(create.getByText('Identifiant invalide : lettres minuscules')).toBeVisible();
	await expect(create.getByLabel('Nom du labo')).toHaveValue(labName);
	await expect(create.getByLabel('Région')).toHaveValue('Bretagne');
	await expect(create.getByLabel('Identifiant')).toHaveAttribute('aria-invalid', 'true');
	await expectAccessible(page);
	await create.getByLabel('Identifiant').fill(slug);
	await create.getByRole('button', { name: 'Créer le labo' }).click();
	await expect(page.getByRole('status').filter({ hasText: `Le labo « ${labName} » est créé` })).toBeVisible();
	const row = labs.getByRole('row', { name: new RegExp(labName) });
	await expect(row.getByRole('cell').nth(1)).toHaveText('aucun·e');

	// The lab's row leads to the coordinator form with the lab chosen; the rest by keyboard.
	await row.getByRole('link', { name: `Nommer un·e coordinateur·rice pour ${labName}` }).click();
	const appoint = page.locator('form[action="?/appoint"]');
	await expect(appoint.getByLabel('Labo').locator('option:checked')).toHaveText(new RegExp(labName));
	await appoint.getByLabel('Adresse e-mail').fill(email);
	await appoint.getByLabel('Adresse e-mail').press('Enter');
	await expect(appoint.getByText("Cette adresse n'a pas encore de compte")).toBeVisible();
	await expect(appoint.getByLabel('Adresse e-mail')).toHaveValue(email);
	await appoint.getByLabel('Adresse e-mail').focus();
	await page.keyboard.press('Tab');
	await expect(appoint.getByLabel('Nom de la personne')).toBeFocused();
	await page.keyboard.type('Nina Essai');
	await page.keyboard.press('Enter');
	await expect(page.getByRole('status').filter({ hasText: `Invitation à coordonner ${labName} envoyée à ${email}` })).toBeVisible();
	await expect(
		labs
			.getByRole('row', { name: new RegExp(labName) })
			.getByRole('cell')
			.nth(2)
	).toHaveText('1');
	await expectAccessible(page);

	// Nina accepts in her own browser and lands in the lab as its coordinator.
	const mail = await waitForMail(email, new RegExp(`Invitation à rejoindre ${labName}`));
	const link = /https?:\/\/\S+\/invitation\/[\w-]+/.exec(mail.text)![0];
	const nina = await (await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris' })).newPage();
	await open(nina, link);
	await nina.getByLabel('Nom affiché').fill('Nina Essai');
	await nina.getByLabel('Nouveau mot de passe').fill(password);
	await nina.getByLabel('Confirmez le mot de passe').fill(password);
	await nina.getByRole('button', { name: "Accepter l'invitation" }).click();
	await expect(nina).toHaveURL(new RegExp(`/l/${slug}$`));
	await expect(nina.getByText('Vous êtes coordinateur·rice dans ce labo.')).toBeVisible();
	await expect(nina.getByRole('link', { name: 'Installation' })).toHaveCount(0);

	// Camille disables Nina's account, from the keyboard.
	await page.getByRole('link', { name: 'Gérer les comptes' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Comptes' })).toBeVisible();
	await page.getByLabel('Rechercher un nom ou une adresse').fill(email);
	await page.getByRole('button', { name: 'Rechercher' }).click();
	await expect(page.getByText('1 compte', { exact: true })).toBeVisible();
	const account = page.getByRole('row', { name: /Nina Essai/ });
	await expect(account.getByRole('cell', { name: 'actif' })).toBeVisible();
	await expectAccessible(page);
	await account.locator('summary').focus();
	await page.keyboard.press('Enter');
	await page.keyboard.press('Tab');
	await expect(account.getByRole('button', { name: 'Confirmer la désactivation de Nina Essai' })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('status').filter({ hasText: 'Le compte de Nina Essai est désactivé' })).toBeVisible();
	await expect(account.getByRole('cell', { name: /désactivé le/ })).toBeVisible();
	await expectAccessible(page);

	// Her open session has ended, and logging in again is refused with a clear message.
	await nina.goto(`/l/${slug}/members`);
	await expect(nina).toHaveURL(/\/login\?next=/);
	await nina.getByLabel('Adresse e-mail').fill(email);
	await nina.getByLabel('Mot de passe', { exact: true }).fill(password);
	await nina.getByRole('button', { name: 'Se connecter' }).click();
	await expect(nina.getByRole('alert')).toHaveText("Ce compte est désactivé. Adressez-vous à l'administration de Labo.");
	await expectAccessible(nina);

	// Enabled again, she logs in with her password.
	await account.getByRole('button', { name: 'Réactiver le compte de Nina Essai' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Le compte de Nina Essai est réactivé' })).toBeVisible();
	await nina.getByLabel('Mot de passe', { exact: true }).fill(password);
	await nina.getByRole('button', { name: 'Se connecter' }).click();
	await expect(nina).toHaveURL(new RegExp(`/l/${slug}/members$`));
	await nina.context().close();

	// An admin cannot disable their own account: the page offers no way to.
	await page.getByLabel('Rechercher un nom ou une adresse').fill(DEMO.coordinator);
	await page.getByRole('button', { name: 'Rechercher' }).click();
	const me = page.getByRole('row', { name: /Camille Exemple/ });
	await expect(me.getByText('(vous)')).toBeVisible();
	await expect(me.getByText('Désactiver')).toHaveCount(0);
});

test('the installation area is not shown to anyone else', async ({ page }) => {
	await open(page, '/admin');
	await expect(page).toHaveURL(/\/login\?next=%2Fadmin/);

	await login(page, DEMO.resident);
	await expect(page.getByRole('link', { name: 'Installation' })).toHaveCount(0);
	const res = await page.goto('/admin/accounts');
	expect(res?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1, name: 'Page introuvable' })).toBeVisible();
	await expectAccessible(page);
});
