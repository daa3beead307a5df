import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const MAIL_DIR = path.resolve('.tmp/e2e/mail');
export const DEMO_PASSWORD = 'demo-labo-paca';
export const DEMO = {
	coordinator: 'coordination@labo-paca.example',
	resident: 'residente@labo-paca.example',
	referent: 'referente@labo-paca.example',
	sponsor: 'dgs@labo-paca.example',
	partner: 'partenaire@unimes.example'
} as const;

/** axe on the current page: no serious or critical violation. */
export async function expectAccessible(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
	const bad = results.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
	expect(bad, `axe violations on ${page.url()}`).toEqual([]);
}

/** Opens a page and waits until it is interactive, so typing is not undone by hydration. */
export async function open(page: Page, url: string): Promise<void> {
	await page.goto(url);
	// Pages rendered without JavaScript (the public site) are ready once loaded.
	if ((await page.locator('link[rel="modulepreload"], script[type="module"]').count()) > 0) await page.locator('html[data-ready]').waitFor({ state: 'attached' });
}

export async function login(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
	await open(page, '/login');
	await page.getByLabel('Adresse e-mail').fill(email);
	await page.getByLabel('Mot de passe', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page).not.toHaveURL(/\/login/);
}

export async function logout(page: Page): Promise<void> {
	await page.getByRole('button', { name: /Se déconnecter|Log out/ }).click();
	await expect(page).toHaveURL(/\/login/);
}

interface Mail {
	to: string;
	subject: string;
	text: string;
	attachments: { filename: string; contentType: string; content: string }[];
}

/** Waits until the SMTP server has received a mail for `to` (polling the files it writes). */
export async function waitForMail(to: string, subject: RegExp): Promise<Mail> {
	let found: Mail | undefined;
	await expect
		.poll(
			() => {
				const files = fs.existsSync(MAIL_DIR) ? fs.readdirSync(MAIL_DIR).filter((f) => f.endsWith('.json')).sort() : [];
				found = files
					.map((f) => JSON.parse(fs.readFileSync(path.join(MAIL_DIR, f), 'utf8')) as Mail)
					.reverse()
					.find((m) => m.to === to && subject.test(m.subject));
				return Boolean(found);
			},
			{ timeout: 20_000, message: `mail to ${to}` }
		)
		.toBe(true);
	return found!;
}

export const uid = (): string => Math.random().toString(36).slice(2, 8);
