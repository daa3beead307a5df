import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3210);
export const baseURL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	forbidOnly: true,
	retries: 0,
	timeout: 45_000,
	expect: { timeout: 10_000 },
	reporter: [['list'], ['json', { outputFile: '.tmp/e2e-results.json' }]],
	use: {
		baseURL,
		locale: 'fr-FR',
		timezoneId: 'Europe/Paris',
		trace: 'retain-on-failure',
		actionTimeout: 10_000,
		navigationTimeout: 15_000,
		screenshot: 'only-on-failure',
		launchOptions: {
			// Debian's Chromium: the project never downloads a browser.
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
		}
	},
	webServer: {
		command: 'npx tsx tests/e2e/server.ts',
		url: `${baseURL}/`,
		reuseExistingServer: false,
		timeout: 240_000,
		stdout: 'ignore',
		stderr: 'pipe',
		env: { E2E_PORT: String(PORT) }
	}
});
