/**
 * Maximally Diverse Grouping: tabu search over moves and swaps with an element-to-group gain
 * table (a move or swap scored in O(1), the table updated in O(n) after each change), restarted
 * from the best solution with random perturbations when it stalls (an iterated tabu search in
 * the spirit of Lai & Hao's iterated maxima search). Pure TypeScript: no database, no Svelte.
 *
 * The trajectory depends only on the seed: with `maxIterations` the result is reproducible;
 * with a time limit, a faster machine goes further along the same trajectory.
 */
import { InstanceError, objective, type Constraints, type Instance } from './instance';

export interface SolveOptions {
	seed?: number;
	/** Time limit in seconds (default 1). */
	seconds?: number;
	/** Stop after this many tabu iterations (for reproducible runs). */
	maxIterations?: number;
	/** Stop as soon as this objective is reached. */
	target?: number;
	/**
	 * Called with the best objective so far, the milliseconds elapsed and a copy of the best
	 * assignment: at the start, at most every `progressMs` afterwards (as soon as a new best is
	 * found once that delay has passed, otherwise with the periodic check), and once at the end.
	 */
	onProgress?: (best: number, elapsedMs: number, assignment: Int32Array) => void;
	/** Minimum delay between two progress reports, in milliseconds (default 100). */
	progressMs?: number;
	/** Polled during the search: return true to stop and get the best solution so far. */
	shouldStop?: () => boolean;
	/** Tuning: iterations without progress before a restart, as a multiple of n (default 10). */
	stallFactor?: number;
	/** Tuning: share of the free elements swapped at a restart (default 0.02–0.08). */
	perturbation?: [number, number];
	/** Tuning: tabu tenure as a share of n (default 0.05–0.1). */
	tenure?: [number, number];
}

export interface Solution {
	assignment: Int32Array;
	objective: number;
	/** Milliseconds from the start until the returned solution was first found. */
	foundAtMs: number;
	iterations: number;
	elapsedMs: number;
}

/** Small, fast, seedable PRNG (mulberry32). */
export function rng(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function solve(inst: Instance, c: Constraints = {}, opts: SolveOptions = {}): Solution {
	const { n, groups: G, min, max, d } = inst;
	const random = rng(opts.seed ?? 1);
	const start = performance.now();
	const deadline = start + (opts.seconds ?? 1) * 1000;
	const maxIter = opts.maxIterations ?? Number.POSITIVE_INFINITY;
	const progressMs = opts.progressMs ?? 100;

	// Elements that never move: pinned ones and members of must-together sets (placed whole).
	const frozen = new Uint8Array(n);
	const apartOf: number[][] = Array.from({ length: n }, () => []);
	for (const [i, j] of c.apart ?? []) {
		apartOf[i]!.push(j);
		apartOf[j]!.push(i);
	}
	const hasApart = (c.apart?.length ?? 0) > 0;

	const a = initialAssignment(inst, c, random, frozen, apartOf);
	const free: number[] = [];
	for (let i = 0; i < n; i++) if (!frozen[i]) free.push(i);

	const table = new GainTable(inst, a, hasApart ? apartOf : null);
	const { gain, apartCnt, size } = table;
	const rebuild = () => table.rebuild();
	const moveTo = (i: number, to: number) => table.moveTo(i, to);
	const isApart = (i: number, j: number) => hasApart && apartOf[i]!.includes(j);

	let f = 0;
	for (let i = 0; i < n; i++) f += gain[i * G + a[i]!]!;
	f /= 2;
	let best = f;
	let bestA = Int32Array.from(a);
	let foundAt = performance.now() - start;
	let lastProgress = Number.NEGATIVE_INFINITY;
	const tabu = new Int32Array(n * G);
	let iter = 0;
	let stall = 0;
	let phaseBest = f;
	const maxStall = Math.max(200, Math.floor((opts.stallFactor ?? 10) * n));
	const [tLo, tHi] = opts.tenure ?? [0.05, 0.1];
	const [pLo, pHi] = opts.perturbation ?? [0.02, 0.08];
	const report = (elapsed: number) => {
		if (opts.onProgress && elapsed - lastProgress >= progressMs) {
			lastProgress = elapsed;
			opts.onProgress(best, elapsed, Int32Array.from(bestA));
		}
	};

	while (iter < maxIter && !(opts.target !== undefined && best >= opts.target)) {
		if ((iter & 31) === 0) {
			const now = performance.now();
			if (now >= deadline || opts.shouldStop?.()) break;
			report(now - start);
		}
		iter++;
		// Best admissible neighbour: a move (sizes permitting) or a swap; ties broken at random.
		let bestDelta = Number.NEGATIVE_INFINITY;
		let bi = -1;
		let bj = -1;
		let bg = -1;
		let ties = 0;
		for (let x = 0; x < free.length; x++) {
			const i = free[x]!;
			const gi = a[i]!;
			const ri = i * G;
			const gainIi = gain[ri + gi]!;
			if (size[gi]! > min[gi]!) {
				for (let g = 0; g < G; g++) {
					if (g === gi || size[g]! >= max[g]!) continue;
					if (hasApart && apartCnt[ri + g]! > 0) continue;
					const delta = gain[ri + g]! - gainIi;
					if (tabu[ri + g]! > iter && f + delta <= best) continue;
					if (delta > bestDelta) {
						bestDelta = delta;
						bi = i;
						bj = -1;
						bg = g;
						ties = 1;
					} else if (delta === bestDelta && random() * ++ties < 1) {
						bi = i;
						bj = -1;
						bg = g;
					}
				}
			}
			const rowI = i * n;
			for (let y = x + 1; y < free.length; y++) {
				const j = free[y]!;
				const gj = a[j]!;
				if (gj === gi) continue;
				const rj = j * G;
				const delta = gain[ri + gj]! - gainIi + gain[rj + gi]! - gain[rj + gj]! - 2 * d[rowI + j]!;
				if (delta < bestDelta) continue;
				if ((tabu[ri + gj]! > iter || tabu[rj + gi]! > iter) && f + delta <= best) continue;
				if (hasApart) {
					const same = isApart(i, j) ? 1 : 0;
					if (apartCnt[ri + gj]! - same > 0 || apartCnt[rj + gi]! - same > 0) continue;
				}
				if (delta > bestDelta) {
					bestDelta = delta;
					bi = i;
					bj = j;
					ties = 1;
				} else if (random() * ++ties < 1) {
					bi = i;
					bj = j;
				}
			}
		}
		if (bi < 0) break; // nothing can move (everything frozen or fully constrained)
		const tenure = Math.max(2, Math.floor(n * (tLo + (tHi - tLo) * random())));
		if (bj < 0) {
			const from = a[bi]!;
			moveTo(bi, bg);
			tabu[bi * G + from] = iter + tenure;
		} else {
			const gi = a[bi]!;
			const gj = a[bj]!;
			moveTo(bi, gj);
			moveTo(bj, gi);
			tabu[bi * G + gi] = iter + tenure;
			tabu[bj * G + gj] = iter + tenure;
		}
		f += bestDelta;
		if (f > best + 1e-9) {
			best = f;
			bestA = Int32Array.from(a);
			foundAt = performance.now() - start;
			report(foundAt);
		}
		if (f > phaseBest + 1e-9) {
			phaseBest = f;
			stall = 0;
		} else if (++stall > maxStall) {
			// Restart from the best solution, shaken by random valid swaps.
			a.set(bestA);
			rebuild();
			const strength = Math.max(2, Math.floor(free.length * (pLo + (pHi - pLo) * random())));
			for (let s = 0, tries = 0; s < strength && tries < strength * 20; tries++) {
				const i = free[Math.floor(random() * free.length)]!;
				const j = free[Math.floor(random() * free.length)]!;
				const gi = a[i]!;
				const gj = a[j]!;
				if (gi === gj) continue;
				if (hasApart) {
					const same = isApart(i, j) ? 1 : 0;
					if (apartCnt[i * G + gj]! - same > 0 || apartCnt[j * G + gi]! - same > 0) continue;
				}
				moveTo(i, gj);
				moveTo(j, gi);
				s++;
			}
			f = 0;
			for (let i = 0; i < n; i++) f += gain[i * G + a[i]!]!;
			f /= 2;
			phaseBest = f;
			stall = 0;
			tabu.fill(0);
		}
	}
	const elapsed = performance.now() - start;
	opts.onProgress?.(best, elapsed, Int32Array.from(bestA));
	// The objective is recomputed from scratch, so floating-point drift never leaks out.
	return { assignment: bestA, objective: objective(inst, bestA), foundAtMs: foundAt, iterations: iter, elapsedMs: elapsed };
}

/**
 * The element-to-group gain table: gain[i·G + g] = Σ d(i, j) over the j in group g. A move or a
 * swap is scored from it in O(1); moving one element updates it in O(n).
 */
export class GainTable {
	readonly gain: Float64Array;
	readonly size: Int32Array;
	readonly apartCnt: Int32Array;

	constructor(
		private readonly inst: Instance,
		readonly a: Int32Array,
		private readonly apartOf: number[][] | null = null
	) {
		this.gain = new Float64Array(inst.n * inst.groups);
		this.size = new Int32Array(inst.groups);
		this.apartCnt = new Int32Array(apartOf ? inst.n * inst.groups : 0);
		this.rebuild();
	}

	/** Recomputes everything from the assignment, in O(n²). */
	rebuild(): void {
		const { n, groups: G, d } = this.inst;
		const { a, gain, size } = this;
		gain.fill(0);
		size.fill(0);
		for (let i = 0; i < n; i++) {
			size[a[i]!]!++;
			const row = i * n;
			const gi = i * G;
			for (let j = 0; j < n; j++) if (j !== i) gain[gi + a[j]!]! += d[row + j]!;
		}
		if (this.apartOf) {
			this.apartCnt.fill(0);
			for (let i = 0; i < n; i++) for (const j of this.apartOf[i]!) this.apartCnt[i * G + a[j]!]!++;
		}
	}

	/** Moves element i to group `to`, updating every row in O(n). */
	moveTo(i: number, to: number): void {
		const { n, groups: G, d } = this.inst;
		const { a, gain, size } = this;
		const from = a[i]!;
		const row = i * n;
		for (let k = 0; k < n; k++) {
			const dk = d[row + k]!;
			if (dk !== 0) {
				gain[k * G + from]! -= dk;
				gain[k * G + to]! += dk;
			}
		}
		if (this.apartOf)
			for (const j of this.apartOf[i]!) {
				this.apartCnt[j * G + from]!--;
				this.apartCnt[j * G + to]!++;
			}
		a[i] = to;
		size[from]!--;
		size[to]!++;
	}
}

/** A feasible start: pinned elements and whole together-sets first, then the rest at random. */
function initialAssignment(inst: Instance, c: Constraints, random: () => number, frozen: Uint8Array, apartOf: number[][]): Int32Array {
	const { n, groups: G, min, max } = inst;
	const a = new Int32Array(n).fill(-1);
	const size = new Int32Array(G);
	const clash = (i: number, g: number) => apartOf[i]!.some((j) => a[j] === g);
	const place = (i: number, g: number) => {
		a[i] = g;
		size[g]!++;
	};
	for (const [i, g] of c.pinned ?? []) {
		if (g < 0 || g >= G) throw new InstanceError(`element ${i} is pinned to a group that does not exist`);
		place(i, g);
		frozen[i] = 1;
	}
	for (const set of c.together ?? []) {
		const pinnedTo = set.map((i) => a[i]).find((g) => g !== undefined && g >= 0);
		const candidates = pinnedTo !== undefined ? [pinnedTo] : [...Array(G).keys()].sort((x, y) => max[y]! - size[y]! - (max[x]! - size[x]!));
		const unplaced = set.filter((i) => a[i]! < 0);
		const g = candidates.find((g) => size[g]! + unplaced.length <= max[g]! && !unplaced.some((i) => clash(i, g)));
		if (g === undefined) throw new InstanceError(`the set ${set.join(', ')} cannot be placed whole in any group`);
		for (const i of unplaced) place(i, g);
		for (const i of set) frozen[i] = 1;
	}
	const rest = [...Array(n).keys()].filter((i) => a[i]! < 0);
	for (let k = rest.length - 1; k > 0; k--) {
		const r = Math.floor(random() * (k + 1));
		[rest[k], rest[r]] = [rest[r]!, rest[k]!];
	}
	// Fill every group to its minimum, then spread the others where there is room.
	const order = () => [...Array(G).keys()].sort((x, y) => size[x]! - min[x]! - (size[y]! - min[y]!) || random() - 0.5);
	for (const i of rest) {
		const g = order().find((g) => size[g]! < max[g]! && !clash(i, g));
		if (g === undefined) throw new InstanceError(`no group can take element ${i} without breaking a constraint`);
		place(i, g);
	}
	for (let g = 0; g < G; g++) if (size[g]! < min[g]!) throw new InstanceError(`group ${g} cannot reach its minimum size with these constraints`);
	return a;
}
