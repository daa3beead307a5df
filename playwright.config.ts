import { defineConfig } from '@playwright/test';

// The suite runs on E2E_WORKERS workers (2 by default), each against its own server with its own
// demo data and mail folder: worker i talks to port 3210 + i. Spec files are dealt out to the
// workers in their alphabetical order, so each server sees its specs in the same order as one
// worker would. TEST_PARALLEL_INDEX is set by Playwright in each worker.
const WORKERS = Number(process.env.E2E_WORKERS ?? 2);
const FIRST_PORT = Number(process.env.E2E_PORT ?? 3210);
const INDEX = Number(process.env.TEST_PARALLEL_INDEX ?? 0);
export const baseURL = `http://127.0.0.1:${FIRST_PORT + INDEX}`;

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: WORKERS,
	forbidOnly: true,
	retries: 0,
	timeout: 45_000,
	expect: { timeout: 10_000 },
	reporter: [['list'], ['json', { outputFile: '.tmp/e2e-results.json' }]],
	use: {
		baseURL,
		locale: 'fr-FR',
		timezoneId: 'Europe/Paris',
		// Recording a trace of every test costs CPU on a 2-core machine; E2E_TRACE=1 keeps one per failure.
		trace: process.env.E2E_TRACE === '1' ? 'retain-on-failure' : 'off',
		actionTimeout: 10_000,
		navigationTimeout: 15_000,
		screenshot: 'only-on-failure',
		launchOptions: {
			// Debian's Chromium: the project never downloads a browser.
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	webServer: Array.from({ length: WORKERS }, (_, i) => ({
		command: 'npx tsx tests/e2e/server.ts',
		url: `http://127.0.0.1:${FIRST_PORT + i}/`,
		reuseExistingServer: false,
		timeout: 240_000,
		stdout: 'ignore' as const,
		stderr: 'pipe' as const,
		env: { E2E_PORT: String(FIRST_PORT + i), E2E_SMTP_PORT: String(2526 + i), E2E_INDEX: String(i) }
	}))
});
