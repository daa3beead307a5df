import fs from 'node:fs';
import path from 'node:path';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** This worker's server keeps its mails here (see playwright.config.ts). */
export const MAIL_DIR = path.resolve(`.tmp/e2e-${process.env.TEST_PARALLEL_INDEX ?? 0}/mail`);
export const DEMO_PASSWORD = 'demo-labo-paca';
export const DEMO = {
	coordinator: 'coordination@labo-paca.example',
	resident: 'residente@labo-paca.example',
	referent: 'referente@labo-paca.example',
	sponsor: 'dgs@labo-paca.example',
	partner: 'partenaire@unimes.example'
} as const;

/** The id attributes used more than once in the page's DOM. */
const DUPLICATE_IDS = () => {
	const counts = new Map<string, number>();
	for (const el of document.querySelectorAll('[id]')) counts.set(el.id, (counts.get(el.id) ?? 0) + 1);
	return [...counts].filter(([, n]) => n > 1).map(([id, n]) => `#${id} ×${n}`);
};

/** No id attribute used twice (a label would point at the wrong field). */
export async function expectUniqueIds(page: Page): Promise<void> {
	expect(await page.evaluate(DUPLICATE_IDS), `duplicate ids on ${page.url()}`).toEqual([]);
}

// Watches every page of every context a test opens: after each load and each change of the DOM
// (client-side navigation, a form's result), the ids in use are checked; duplicates fail the test.
const WATCH_IDS = `(() => {
	const duplicates = ${DUPLICATE_IDS.toString()};
	const reported = new Set();
	let timer = 0;
	const check = () => {
		timer = 0;
		const found = duplicates().filter((d) => !reported.has(location.pathname + d));
		if (!found.length) return;
		for (const d of found) reported.add(location.pathname + d);
		window.__e2eDuplicateIds?.(found);
		document.documentElement.setAttribute('data-e2e-duplicate-ids', found.join(' '));
	};
	const schedule = () => { if (!timer) timer = setTimeout(check, 50); };
	const start = () => {
		schedule();
		new MutationObserver(schedule).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['id'] });
	};
	if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
	else start();
})();`;

export const test = base.extend<{ uniqueIds: void }>({
	uniqueIds: [
		async ({ context, browser }, use) => {
			const found: string[] = [];
			const watch = async (ctx: BrowserContext) => {
				await ctx.exposeBinding('__e2eDuplicateIds', ({ page }, ids: string[]) => void found.push(`${new URL(page.url()).pathname}: ${ids.join(', ')}`));
				await ctx.addInitScript(WATCH_IDS);
			};
			await watch(context);
			// Contexts a test opens itself (an anonymous visitor, a second person) are watched too.
			const newContext = browser.newContext.bind(browser);
			browser.newContext = async (options) => {
				const ctx = await newContext(options);
				await watch(ctx);
				return ctx;
			};
			try {
				await use();
			} finally {
				browser.newContext = newContext;
			}
			expect(found, 'duplicate id attributes in the pages visited').toEqual([]);
		},
		{ auto: true }
	]
});

/** axe on the current page: no serious or critical violation, and no duplicate id. */
export async function expectAccessible(page: Page): Promise<void> {
	await expectUniqueIds(page);
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
	if ((await page.locator('link[rel="modulepreload"], script[type="module"]').count()) > 0)
		await page.locator('html[data-ready]').waitFor({ state: 'attached' });
}

/** Opens a workspace page through the lab's navigation: its section, then the page in the section's own row. */
export async function goToLabPage(page: Page, section: string, name: string): Promise<void> {
	await page.getByRole('navigation', { name: 'Navigation du labo' }).getByRole('link', { name: section, exact: true }).click();
	const link = page.getByRole('navigation', { name: `Pages de la rubrique ${section}` }).getByRole('link', { name, exact: true });
	await link.click();
	await expect(link).toHaveAttribute('aria-current', 'page');
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

/**
 * Waits until the SMTP server has received a mail for `to` (polling the files it writes). With
 * `since` (a Date.now() taken before the action that sends it), older mails of the same kind —
 * from an earlier test on the same demo — are not mistaken for it.
 */
export async function waitForMail(to: string, subject: RegExp, opts: { since?: number } = {}): Promise<Mail> {
	let found: Mail | undefined;
	const since = opts.since ?? 0;
	await expect
		.poll(
			() => {
				const files = fs.existsSync(MAIL_DIR)
					? fs
							.readdirSync(MAIL_DIR)
							.filter((f) => f.endsWith('.json'))
							.sort()
					: [];
				found = files
					.filter((f) => fs.statSync(path.join(MAIL_DIR, f)).mtimeMs >= since)
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
