import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles, ROOT } from './check';

// The house's size limits: a server module over 600 lines or a component over 300 is split
// along its seams (migrations and message catalogues are long by nature and exempt).
const SERVER_MAX = 600;
const COMPONENT_MAX = 300;
const lineCount = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8').split('\n').length;

describe('size limits', () => {
	it(`keeps TypeScript modules under ${SERVER_MAX} lines`, () => {
		const long = listFiles('src', ['.ts'])
			.filter((f) => !f.includes('/db/migrations/') && !f.startsWith('src/lib/i18n/'))
			.map((f) => ({ f, n: lineCount(f) }))
			.filter((x) => x.n > SERVER_MAX)
			.map((x) => `${x.f}: ${x.n}`);
		expect(long, 'split these along their seams').toEqual([]);
	});

	it(`keeps Svelte components under ${COMPONENT_MAX} lines`, () => {
		const long = listFiles('src', ['.svelte'])
			.map((f) => ({ f, n: lineCount(f) }))
			.filter((x) => x.n > COMPONENT_MAX)
			.map((x) => `${x.f}: ${x.n}`);
		expect(long, 'move sections into components, state into a .svelte.ts module').toEqual([]);
	});
});
