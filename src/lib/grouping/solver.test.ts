import { describe, expect, it } from 'vitest';
import { InstanceError, objective, parseMdgplib, violations, type Instance } from './instance';
import { GainTable, rng, solve } from './solver';

function randomInstance(n: number, groups: number, seed: number, sizes?: [number, number]): Instance {
	const r = rng(seed);
	const d = new Float64Array(n * n);
	for (let i = 0; i < n; i++)
		for (let j = i + 1; j < n; j++) {
			const v = Math.round(r() * 1000) / 10;
			d[i * n + j] = v;
			d[j * n + i] = v;
		}
	const [lo, hi] = sizes ?? [Math.floor(n / groups), Math.ceil(n / groups)];
	return { n, groups, min: new Int32Array(groups).fill(lo), max: new Int32Array(groups).fill(hi), d };
}

describe('gain table', () => {
	it('matches a from-scratch recomputation after random moves', () => {
		const inst = randomInstance(40, 5, 7, [0, 40]);
		const r = rng(3);
		const a = Int32Array.from({ length: 40 }, (_, i) => i % 5);
		const t = new GainTable(inst, a);
		for (let step = 0; step < 300; step++) t.moveTo(Math.floor(r() * 40), Math.floor(r() * 5));
		const fresh = new GainTable(inst, Int32Array.from(a));
		for (let k = 0; k < t.gain.length; k++) expect(t.gain[k]).toBeCloseTo(fresh.gain[k]!, 6);
		expect(Array.from(t.size)).toEqual(Array.from(fresh.size));
	});
});

describe('solver', () => {
	it('finds the proven optimum of a small instance (brute force, n = 9)', () => {
		const inst = randomInstance(9, 3, 11, [3, 3]);
		let bestBrute = -1;
		const a = new Int32Array(9);
		for (let code = 0; code < 3 ** 9; code++) {
			let c = code;
			const size = [0, 0, 0];
			for (let i = 0; i < 9; i++) {
				a[i] = c % 3;
				size[c % 3]!++;
				c = Math.floor(c / 3);
			}
			if (size.every((s) => s === 3)) bestBrute = Math.max(bestBrute, objective(inst, a));
		}
		const sol = solve(inst, {}, { seed: 5, maxIterations: 2000, seconds: 10 });
		expect(sol.objective).toBeCloseTo(bestBrute, 6);
		expect(violations(inst, sol.assignment)).toEqual([]);
	});

	it('is reproducible for a seed and an iteration budget', () => {
		const inst = randomInstance(60, 6, 2);
		const x = solve(inst, {}, { seed: 42, maxIterations: 500, seconds: 30 });
		const y = solve(inst, {}, { seed: 42, maxIterations: 500, seconds: 30 });
		expect(Array.from(x.assignment)).toEqual(Array.from(y.assignment));
	});

	it('keeps every constraint on random instances, and sizes within their intervals', () => {
		for (let seed = 1; seed <= 6; seed++) {
			const inst = randomInstance(48, 6, seed, [6, 10]);
			const c = {
				pinned: new Map([
					[0, 2],
					[1, 2]
				]),
				apart: [
					[2, 3],
					[4, 5],
					[0, 6]
				] as [number, number][],
				together: [[7, 8, 9]]
			};
			const sol = solve(inst, c, { seed, maxIterations: 400, seconds: 30 });
			expect(violations(inst, sol.assignment, c)).toEqual([]);
		}
	});

	it('improves on its starting point and reports progress', () => {
		const inst = randomInstance(80, 8, 9);
		const seen: number[] = [];
		const sol = solve(inst, {}, { seed: 1, seconds: 0.3, progressMs: 0, onProgress: (b) => seen.push(b) });
		expect(seen.length).toBeGreaterThan(1);
		expect(seen.at(-1)).toBeGreaterThanOrEqual(seen[0]!);
		expect(sol.objective).toBeCloseTo(seen.at(-1)!, 6);
	});

	it('reports a copy of the best assignment with its progress, at the start and at the end', () => {
		const inst = randomInstance(60, 6, 4);
		const seen: { best: number; ms: number; a: Int32Array }[] = [];
		const sol = solve(inst, {}, { seed: 2, seconds: 0.3, progressMs: 50, onProgress: (best, ms, a) => seen.push({ best, ms, a }) });
		expect(seen.length).toBeGreaterThan(2);
		expect(seen[0]!.ms).toBeLessThan(50);
		for (const s of seen) expect(objective(inst, s.a)).toBeCloseTo(s.best, 6);
		for (let k = 1; k < seen.length - 1; k++) expect(seen[k]!.ms - seen[k - 1]!.ms).toBeGreaterThanOrEqual(50 - 1e-6);
		expect(Array.from(seen.at(-1)!.a)).toEqual(Array.from(sol.assignment));
		expect(seen.at(-1)!.a).not.toBe(sol.assignment);
		seen[0]!.a.fill(-1); // a copy: the caller may keep or change it
		expect(violations(inst, sol.assignment)).toEqual([]);
	});

	it('reports impossible constraints before solving', () => {
		const inst = randomInstance(12, 3, 1, [4, 4]);
		expect(() => solve(inst, { together: [[0, 1, 2, 3, 4]] })).toThrow(InstanceError);
		expect(() => solve(inst, { pinned: new Map([[0, 7]]) })).toThrow(/does not exist/);
	});
});

describe('MDGPLIB files', () => {
	it('reads an instance', () => {
		const inst = parseMdgplib('4 2 ss 2 2 2 2\n0 1 1.5\n0 2 2\n0 3 3\n1 2 4\n1 3 5\n2 3 6\n');
		expect(inst.n).toBe(4);
		expect(inst.d[1 * 4 + 3]).toBe(5);
		expect(inst.d[3 * 4 + 1]).toBe(5);
	});
	it('says which line is wrong and why', () => {
		expect(() => parseMdgplib('4 2 xx 2 2 2 2')).toThrow(expect.objectContaining({ line: 1 }));
		expect(() => parseMdgplib('4 2 ss 2 2 2 2\n0 1 1\n0 9 2')).toThrow(expect.objectContaining({ line: 3 }));
		expect(() => parseMdgplib('4 2 ss 2 2 2 2\n0 1 abc')).toThrow(expect.objectContaining({ line: 2 }));
		expect(() => parseMdgplib('4 2 ss 1 1 1 1\n')).toThrow(/hold between 2 and 2/);
	});
});
