import { describe, expect, it } from 'vitest';
import { objective, violations } from './instance';
import { runSolveRequest, type SolveMessage, type SolveRequest } from './protocol';
import { rng } from './solver';

function request(n: number, groups: number, extra: Partial<SolveRequest> = {}): SolveRequest {
	const r = rng(n);
	const d = new Float64Array(n * n);
	for (let i = 0; i < n; i++)
		for (let j = i + 1; j < n; j++) {
			const v = r();
			d[i * n + j] = v;
			d[j * n + i] = v;
		}
	return {
		instance: { n, groups, min: Array(groups).fill(Math.floor(n / groups)), max: Array(groups).fill(Math.ceil(n / groups)), d },
		seed: 3,
		seconds: 0.3,
		...extra
	};
}

function run(req: SolveRequest): SolveMessage[] {
	const out: SolveMessage[] = [];
	runSolveRequest(req, (m) => out.push(m));
	return out;
}

describe('solve protocol', () => {
	it('streams throttled progress, then one done message with a valid solution', () => {
		const req = request(40, 5, {
			constraints: {
				pinned: [[0, 4]],
				apart: [[1, 2]],
				together: [
					[3, 4],
					[4, 5]
				]
			},
			progressMs: 50
		});
		const msgs = run(req);
		const done = msgs.at(-1)!;
		expect(done.type).toBe('done');
		expect(msgs.filter((m) => m.type === 'done' || m.type === 'error')).toHaveLength(1);
		const progress = msgs.filter((m) => m.type === 'progress');
		expect(progress.length).toBeGreaterThan(2);
		expect(progress.length).toBeLessThanOrEqual(0.3 * 20 + 2);
		for (let k = 1; k < progress.length; k++) expect(progress[k]!.best).toBeGreaterThanOrEqual(progress[k - 1]!.best);
		if (done.type !== 'done') throw new Error('unreachable');
		const inst = { ...req.instance, min: Int32Array.from(req.instance.min), max: Int32Array.from(req.instance.max) };
		const a = Int32Array.from(done.assignment);
		expect(Array.isArray(done.assignment)).toBe(true);
		expect(objective(inst, a)).toBeCloseTo(done.best, 6);
		expect(violations(inst, a, { pinned: new Map([[0, 4]]), apart: [[1, 2]], together: [[3, 4, 5]] })).toEqual([]);
		expect(done.foundAtMs).toBeLessThanOrEqual(done.elapsedMs);
	});

	it('answers impossible settings with the first precheck problem, without solving', () => {
		const msgs = run(request(10, 2, { constraints: { together: [[0, 1]], apart: [[0, 1]] } }));
		expect(msgs).toEqual([{ type: 'error', code: 'grouping.togetherAndApart', params: { a: 0, b: 1 } }]);
		expect(run(request(10, 5, { facilitators: 4 }))).toEqual([{ type: 'error', code: 'grouping.fewerFacilitators', params: { facilitators: 4, groups: 5 } }]);
	});

	it('answers a malformed request or a solver failure with grouping.solveFailed', () => {
		const bad = request(10, 2);
		bad.instance.d = new Float64Array(3);
		expect(run(bad)).toMatchObject([{ type: 'error', code: 'grouping.solveFailed' }]);
		expect(run(request(10, 2, { constraints: { apart: [[0, 99]] } }))).toMatchObject([{ type: 'error', code: 'grouping.solveFailed' }]);
		expect(run({} as SolveRequest)).toMatchObject([{ type: 'error', code: 'grouping.solveFailed', params: { message: 'missing instance' } }]);
	});
});
