// ESLint for Labo: JavaScript's and TypeScript's recommended rules, Svelte's, and the house's
// boundaries that an import can express (the ownership of tables is checked by
// tests/architecture). `npm run lint` runs it; `npm test` requires it clean.
import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

const serverOnly = {
	group: ['$lib/server', '$lib/server/*', '**/lib/server/**', 'node:*', 'better-sqlite3', 'pg', 'kysely'],
	message: 'Code that runs in the browser (shared/, grouping/) never imports server code.'
};

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', 'node_modules/', 'test-results/', '.tmp/', 'data/', 'static/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } }
	},
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
			'@typescript-eslint/no-explicit-any': 'off',
			// Links are built from the lab's address ("/l/<slug>/…") and the app is served at the
			// root of its origin (no `paths.base`), so resolve() would add nothing.
			'svelte/no-navigation-without-resolve': 'off',
			// An explicit {' '} keeps a space between inline elements that a formatter or a
			// template edit would otherwise lose (French typography needs them).
			'svelte/no-useless-mustaches': 'off'
		}
	},
	{
		// Routes reach the database through services only.
		files: ['src/routes/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					paths: [{ name: '$lib/server/db', importNames: ['createDb', 'migrate', 'closeDb'], message: 'Routes go through services.' }],
					patterns: [{ group: ['$lib/server/db/*', 'kysely'], message: 'Routes reach the database through services only.' }]
				}
			]
		}
	},
	{
		files: ['src/lib/shared/**', 'src/lib/grouping/**'],
		ignores: ['**/*.test.ts'],
		rules: { 'no-restricted-imports': ['error', { patterns: [serverOnly] }] }
	}
);
