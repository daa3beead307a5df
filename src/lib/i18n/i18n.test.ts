import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fr } from './fr';
import { en } from './en';
import { formatDate, formatEuros, isMessageKey, translate } from './index';

function sourceFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) return sourceFiles(p);
		return /\.(ts|svelte)$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : [];
	});
}

describe('catalogues', () => {
	it('have the same keys in French and English, none empty', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
		for (const [k, v] of Object.entries({ ...fr })) expect(v, k).not.toBe('');
		for (const [k, v] of Object.entries(en)) expect(v, k).not.toBe('');
	});

	it('have every message key the code uses (errors, t() calls, form messages)', () => {
		const root = path.resolve(__dirname, '..', '..');
		const missing = new Set<string>();
		const patterns = [
			/DomainError\(\s*'([a-zA-Z.]+)'/g,
			/\bt\(\s*'([a-zA-Z.]+)'/g,
			// Catalogue keys always have a dot ("form.required"); other `key:` fields (section keys) do not.
			/key: '([a-zA-Z_]+\.[a-zA-Z_.]+)'/g,
			/httpError\(\s*\d+,\s*'([a-zA-Z.]+)'/g,
			/message: '([a-zA-Z_]+\.[a-zA-Z_.]+)'/g
		];
		for (const file of sourceFiles(root)) {
			const text = fs.readFileSync(file, 'utf8');
			for (const re of patterns) for (const m of text.matchAll(re)) if (!isMessageKey(m[1]!)) missing.add(`${m[1]} (${path.relative(root, file)})`);
		}
		expect([...missing]).toEqual([]);
	});

	it('interpolates parameters and formats numbers per locale', () => {
		expect(translate('fr', 'members.count', { count: 1234 })).toBe('1\u202f234 membre(s)');
		expect(translate('en', 'members.count', { count: 1234 })).toBe('1,234 member(s)');
		expect(translate('fr', 'no.such.key')).toBe('no.such.key');
	});

	it('picks real plural forms per locale (French counts 0 and 1 as singular)', () => {
		expect(translate('fr', 'todo.commentsToModerate', { count: 0 })).toBe('0 commentaire à modérer');
		expect(translate('fr', 'todo.commentsToModerate', { count: 1 })).toBe('1 commentaire à modérer');
		expect(translate('fr', 'todo.commentsToModerate', { count: 1500 })).toBe('1\u202f500 commentaires à modérer');
		expect(translate('en', 'todo.commentsToModerate', { count: 1 })).toBe('1 comment to moderate');
		expect(translate('en', 'todo.commentsToModerate', { count: 0 })).toBe('0 comments to moderate');
		expect(translate('fr', 'todo.navLabel', { label: 'Accueil', count: 3 })).toBe('Accueil, 3 éléments à traiter');
		expect(translate('en', '{n, plural, =0 {none} one {# item} other {# items}}', { n: 0 })).toBe('none');
		// Without the count the message is left as written rather than guessed.
		expect(translate('fr', 'todo.postsScheduled')).toContain('{count, plural,');
	});

	it('writes dates and amounts the French way', () => {
		expect(formatDate('fr', '2014-02-06T10:00:00Z')).toBe('6 février 2014');
		expect(formatEuros('fr', 1250000)).toBe('12\u202f500,00\u00a0€');
	});
});
