import { describe, expect, it } from 'vitest';
import { distanceMatrix, explainGroup, groupMix, groupScore, normalizeCategory, readNumber, type AttributeDef, type Participant } from './distance';

const at = (d: Float64Array, n: number, i: number, j: number) => d[i * n + j]!;

describe('distance matrix', () => {
	it('compares categories trimmed, case- and accent-insensitively', () => {
		expect(normalizeCategory('  Élue ')).toBe('elue');
		expect(normalizeCategory('ÉLUE')).toBe(normalizeCategory('elue'));
		const attrs: AttributeDef[] = [{ key: 'role', kind: 'categorical', weight: 1 }];
		const people: Participant[] = [{ role: ' Élue' }, { role: 'elue ' }, { role: 'Agent' }];
		const d = distanceMatrix(attrs, people);
		expect(at(d, 3, 0, 1)).toBe(0);
		expect(at(d, 3, 0, 2)).toBe(1);
		expect(at(d, 3, 2, 1)).toBe(1);
		expect(at(d, 3, 1, 1)).toBe(0);
	});

	it('scales numbers by their range over the participants (range 0 → 0)', () => {
		expect(readNumber('3,5')).toBe(3.5);
		expect(readNumber('')).toBeNaN();
		expect(readNumber('abc')).toBeNaN();
		const attrs: AttributeDef[] = [{ key: 'age', kind: 'numeric', weight: 2 }];
		const d = distanceMatrix(attrs, [{ age: 20 }, { age: '30' }, { age: 60 }]);
		expect(at(d, 3, 0, 1)).toBeCloseTo(0.25);
		expect(at(d, 3, 0, 2)).toBeCloseTo(1);
		expect(at(d, 3, 2, 1)).toBeCloseTo(0.75);
		const flat = distanceMatrix(attrs, [{ age: 40 }, { age: 40 }]);
		expect(Array.from(flat)).toEqual([0, 0, 0, 0]);
	});

	it('is a weighted mean renormalised over the attributes both participants have', () => {
		const attrs: AttributeDef[] = [
			{ key: 'org', kind: 'categorical', weight: 3 },
			{ key: 'age', kind: 'numeric', weight: 1 },
			{ key: 'ignored', kind: 'categorical', weight: 0 }
		];
		const people: Participant[] = [
			{ org: 'A', age: 20, ignored: 'x' },
			{ org: 'B', age: 40, ignored: 'y' },
			{ org: null, age: 30 },
			{ org: '  ', age: null },
			{ org: 'A' }
		];
		const n = people.length;
		const d = distanceMatrix(attrs, people);
		// org differs (3 × 1) and age spans the whole range (1 × 1): (3 + 1) / 4
		expect(at(d, n, 0, 1)).toBeCloseTo(1);
		// org missing on 2: only age counts, |20 − 30| / 20
		expect(at(d, n, 0, 2)).toBeCloseTo(0.5);
		// nothing in common: 0
		expect(at(d, n, 2, 3)).toBe(0);
		expect(at(d, n, 3, 4)).toBe(0);
		// org only, the same value
		expect(at(d, n, 0, 4)).toBe(0);
		expect(at(d, n, 1, 4)).toBe(1);
		for (let i = 0; i < n; i++)
			for (let j = 0; j < n; j++) {
				expect(at(d, n, i, j)).toBe(at(d, n, j, i));
				expect(at(d, n, i, j)).toBeGreaterThanOrEqual(0);
				expect(at(d, n, i, j)).toBeLessThanOrEqual(1);
			}
	});
});

describe('group mix', () => {
	it('counts values under their first spelling and summarises numbers', () => {
		const attrs: AttributeDef[] = [
			{ key: 'org', kind: 'categorical', weight: 1 },
			{ key: 'age', kind: 'numeric', weight: 0 }
		];
		const people: Participant[] = [
			{ org: 'Mairie', age: 30 },
			{ org: 'mairie ', age: 50 },
			{ org: 'Région', age: null },
			{ org: null, age: 40 },
			{ org: 'MAIRIE' }
		];
		const [org, age] = groupMix(attrs, people, [4, 1, 2, 3]);
		expect(org).toEqual({
			key: 'org',
			kind: 'categorical',
			counts: [
				{ value: 'Mairie', count: 2 },
				{ value: 'Région', count: 1 }
			],
			missing: 1
		});
		expect(age).toEqual({ key: 'age', kind: 'numeric', min: 40, mean: 45, max: 50, count: 2, missing: 2 });
		const [, none] = groupMix(attrs, people, [2, 4]);
		expect(none).toMatchObject({ min: null, mean: null, max: null, count: 0, missing: 2 });
	});
});

describe('explain a group', () => {
	const attrs: AttributeDef[] = [
		{ key: 'org', kind: 'categorical', weight: 1 },
		{ key: 'age', kind: 'numeric', weight: 1 },
		{ key: 'city', kind: 'categorical', weight: 0 }
	];
	// 12 people: orgs A, B, C four times each; ages 20..75; everyone in the same city.
	const people: Participant[] = Array.from({ length: 12 }, (_, i) => ({ org: 'ABC'[i % 3]!, age: 20 + 5 * i, city: 'Lyon' }));

	it('scores a group and compares it with the session average', () => {
		const d = distanceMatrix(attrs, people);
		const diverse = [0, 1, 2, 11];
		const e = explainGroup(attrs, people, diverse);
		expect(e.score).toBeCloseTo(groupScore(d, 12, diverse));
		expect(e.pairs).toBe(6);
		expect(e.averagePair).toBeCloseTo(e.score / 6);
		expect(e.belowAverage).toBe(false);
		expect(e.reasons).toEqual([]);
		// the precomputed matrix gives the same answer
		expect(explainGroup(attrs, people, diverse, undefined, d)).toEqual(e);
	});

	it('says a group is homogeneous on a weighted category and narrow on a number', () => {
		// orgs A, A, A, B (75 %) and ages 20, 35, 50, 25 → range 30 of 55: not narrow
		const e = explainGroup(attrs, people, [0, 3, 6, 1]);
		expect(e.reasons).toEqual([{ code: 'homogeneous', attribute: 'org', value: 'A', share: 0.75, sessionShare: 4 / 12 }]);
		expect(e.belowAverage).toBe(true);
		expect(e.ratio).toBeLessThan(1);
		// ages 20, 25, 30 → range 10 of 55 (≤ 25 %): narrow; orgs A, B, C: not homogeneous
		const narrow = explainGroup(attrs, people, [0, 1, 2]);
		expect(narrow.reasons).toEqual([{ code: 'narrowRange', attribute: 'age', min: 20, max: 30, sessionMin: 20, sessionMax: 75 }]);
		// the same city everywhere (and a zero weight): never a reason
		expect(explainGroup(attrs, people, [0, 3, 6, 9]).reasons.map((r) => r.attribute)).toEqual(['org']);
	});

	it('does not blame a value the whole session shares as much', () => {
		const mostlyA: Participant[] = Array.from({ length: 10 }, (_, i) => ({ org: i < 7 ? 'A' : 'B', age: 30 }));
		expect(explainGroup(attrs, mostlyA, [0, 1, 2, 8]).reasons).toEqual([]);
		// compared with a sub-session where A is rare, the same group is homogeneous
		const e = explainGroup(attrs, mostlyA, [0, 1, 2, 8], [0, 1, 2, 7, 8, 9]);
		expect(e.reasons).toEqual([{ code: 'homogeneous', attribute: 'org', value: 'A', share: 0.75, sessionShare: 0.5 }]);
	});
});
