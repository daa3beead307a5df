import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/architecture/**/*.test.ts'],
		globalSetup: ['tests/setup/global.ts'],
		pool: 'forks',
		fileParallelism: false,
		testTimeout: 20_000,
		hookTimeout: 60_000
	}
});
