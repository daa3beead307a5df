import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fr } from './fr';
import { en } from './en';
import { formatDate, formatEuros, interpolate, isMessageKey, messageKeyOr, translate } from '$lib/server/i18n';

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

	it('are split per domain, each French file with its English twin holding the same keys', async () => {
		const dir = (lang: string) => path.resolve(__dirname, lang);
		const files = fs
			.readdirSync(dir('fr'))
			.filter((f) => f !== 'index.ts')
			.sort();
		expect(
			fs
				.readdirSync(dir('en'))
				.filter((f) => f !== 'index.ts')
				.sort()
		).toEqual(files);
		for (const f of files) {
			const [frPart, enPart] = await Promise.all([import(`./fr/${f.replace(/\.ts$/, '')}.ts`), import(`./en/${f.replace(/\.ts$/, '')}.ts`)]);
			const keys = (m: Record<string, object>) =>
				Object.values(m)
					.flatMap((c) => Object.keys(c))
					.sort();
			expect(keys(enPart), f).toEqual(keys(frPart));
			expect(keys(frPart).length, f).toBeGreaterThan(0);
		}
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
		expect(translate('fr', 'members.count', { count: 1234 })).toBe('1\u202f234 membres');
		expect(translate('en', 'members.count', { count: 1234 })).toBe('1,234 members');
		expect(translate('fr', 'members.count', { count: 1 })).toBe('1 membre');
	});

	it('let a key from outside the code in only through one checked door', () => {
		expect(isMessageKey('form.required')).toBe(true);
		expect(isMessageKey('no.such.key')).toBe(false);
		expect(isMessageKey('toString')).toBe(false);
		expect(messageKeyOr('no.such.key', 'error.unexpected')).toBe('error.unexpected');
		expect(messageKeyOr(42, 'form.invalid')).toBe('form.invalid');
		expect(messageKeyOr('form.required', 'form.invalid')).toBe('form.required');
	});

	it('name calls to the network « appels à référent·es », as the rest of the network wording does', () => {
		const calls = Object.entries(fr).filter(([, v]) => /appels? à animat/i.test(v));
		expect(calls).toEqual([]);
		expect(Object.entries(en).filter(([, v]) => /calls? for facilitators/i.test(v))).toEqual([]);
	});

	it('write no fake plural « (s) »: a counted word agrees with its number', () => {
		for (const catalogue of [fr, en]) expect(Object.entries(catalogue).filter(([, v]) => /\((s|es|x)\)/.test(v))).toEqual([]);
		expect(translate('fr', 'form.errors', { count: 1 })).toBe('Le formulaire contient 1 erreur. Corrigez-la puis validez à nouveau.');
		expect(translate('en', 'network.call.assignedDone', { added: 1, removed: 2 })).toBe('Assignment saved: 1 confirmation sent, 2 people released.');
	});

	it("picks the singular or plural form by the locale's rules", () => {
		const key = '{n} {n|personne|personnes}';
		expect(interpolate('fr', key, { n: 0 })).toBe('0 personne');
		expect(interpolate('fr', key, { n: 1 })).toBe('1 personne');
		expect(interpolate('fr', key, { n: 2 })).toBe('2 personnes');
		expect(interpolate('en', '{n} {n|person|people}', { n: 0 })).toBe('0 people');
		expect(interpolate('en', '{n} {n|person|people}', { n: 1 })).toBe('1 person');
		expect(interpolate('fr', '{n|a|b}')).toBe('{n|a|b}');
		expect(interpolate('fr', 'Effacer {n|mon commentaire|mes # commentaires}', { n: 1200 })).toBe('Effacer mes 1\u202f200 commentaires');
		expect(interpolate('fr', 'Effacer {n|mon commentaire|mes # commentaires}', { n: 1 })).toBe('Effacer mon commentaire');
		expect(translate('fr', 'todo.commentsToModerate', { count: 1500 })).toBe('1\u202f500 commentaires à modérer');
		expect(translate('en', 'todo.commentsToModerate', { count: 1 })).toBe('1 comment to moderate');
		expect(translate('fr', 'todo.navLabel', { label: 'Accueil', count: 3 })).toBe('Accueil, 3 éléments à traiter');
	});

	it('writes dates and amounts the French way', () => {
		expect(formatDate('fr', '2014-02-06T10:00:00Z')).toBe('6 février 2014');
		expect(formatEuros('fr', 1250000)).toBe('12\u202f500,00\u00a0€');
	});
});
