import { defineConfig } from '@playwright/test';
import { ORIGIN } from './tests/e2e-proxy/env';

/** Labo behind a real nginx terminating TLS (tests/e2e-proxy/server.ts): what a deployment sees. */
export default defineConfig({
	testDir: 'tests/e2e-proxy',
	// Apart from the main suite's test-results/, since both suites may run at once.
	outputDir: '.tmp/test-results-proxy',
	fullyParallel: false,
	workers: 1,
	forbidOnly: true,
	retries: 0,
	timeout: 45_000,
	expect: { timeout: 10_000 },
	reporter: [['list'], ['json', { outputFile: '.tmp/e2e-proxy-results.json' }]],
	use: {
		baseURL: ORIGIN,
		// The certificate is made by the test, for 127.0.0.1, and trusted by nobody.
		ignoreHTTPSErrors: true,
		locale: 'fr-FR',
		timezoneId: 'Europe/Paris',
		// Recording a trace of every test costs CPU on a 2-core machine; E2E_TRACE=1 keeps one per failure.
		trace: process.env.E2E_TRACE === '1' ? 'retain-on-failure' : 'off',
		actionTimeout: 10_000,
		navigationTimeout: 15_000,
		screenshot: 'only-on-failure',
		launchOptions: {
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
	webServer: {
		command: 'npx tsx tests/e2e-proxy/server.ts',
		url: `${ORIGIN}/login`,
		ignoreHTTPSErrors: true,
		reuseExistingServer: false,
		timeout: 240_000,
		stdout: 'ignore',
		stderr: 'pipe'
	}
});
