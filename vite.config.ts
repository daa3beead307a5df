import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/architecture/**/*.test.ts'],
		globalSetup: ['tests/setup/global.ts'],
		pool: 'forks',
		// Two files at a time: each file has its own databases (tests/setup/db.ts), and the machine
		// has two cores, which the type check, the lint and the build share at the start.
		fileParallelism: true,
		maxWorkers: 2,
		testTimeout: 20_000,
		hookTimeout: 60_000
	}
});
