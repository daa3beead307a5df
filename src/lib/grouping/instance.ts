/**
 * A grouping problem: n elements, G groups with a size interval each, and a symmetric distance
 * matrix. Maximally Diverse Grouping maximises the sum of within-group pairwise distances.
 */
export interface Instance {
	n: number;
	groups: number;
	min: Int32Array;
	max: Int32Array;
	/** Row-major n × n, symmetric, zero diagonal. */
	d: Float64Array;
}

export interface Constraints {
	/** element → group it must stay in. */
	pinned?: Map<number, number>;
	/** pairs that must not share a group. */
	apart?: [number, number][];
	/** sets that must share a group (each kept whole). */
	together?: number[][];
}

export class InstanceError extends Error {
	constructor(
		message: string,
		public readonly line?: number
	) {
		super(message);
	}
}

/**
 * Reads the MDGPLIB text format: a first line `n G ss|ds a1 b1 … aG bG`, then `i j d` lines
 * (0-based elements). Every problem is reported with its line.
 */
export function parseMdgplib(text: string): Instance {
	const lines = text.split(/\r?\n/);
	const head = (lines[0] ?? '').trim().split(/\s+/);
	const n = Number(head[0]);
	const groups = Number(head[1]);
	const kind = head[2];
	if (!Number.isInteger(n) || n < 2 || !Number.isInteger(groups) || groups < 1 || groups > n)
		throw new InstanceError('first line: expected "n G ss|ds a1 b1 …"', 1);
	if (kind !== 'ss' && kind !== 'ds') throw new InstanceError(`first line: the type must be ss or ds, not "${kind ?? ''}"`, 1);
	const bounds = head.slice(3).map(Number);
	if (bounds.length < 2 * groups || bounds.some((b) => !Number.isInteger(b) || b < 0))
		throw new InstanceError(`first line: expected ${2 * groups} size bounds`, 1);
	const min = new Int32Array(groups);
	const max = new Int32Array(groups);
	for (let g = 0; g < groups; g++) {
		min[g] = bounds[2 * g]!;
		max[g] = bounds[2 * g + 1]!;
		if (min[g]! > max[g]!) throw new InstanceError(`first line: group ${g} has a lower bound above its upper bound`, 1);
	}
	const d = new Float64Array(n * n);
	for (let k = 1; k < lines.length; k++) {
		const raw = lines[k]!.trim();
		if (!raw) continue;
		const parts = raw.split(/\s+/);
		const i = Number(parts[0]);
		const j = Number(parts[1]);
		const v = Number(parts[2]);
		if (parts.length !== 3 || !Number.isInteger(i) || !Number.isInteger(j) || !Number.isFinite(v)) throw new InstanceError('expected "i j distance"', k + 1);
		if (i < 0 || j < 0 || i >= n || j >= n || i === j) throw new InstanceError(`element out of range or paired with itself (${i}, ${j})`, k + 1);
		d[i * n + j] = v;
		d[j * n + i] = v;
	}
	checkFeasible({ n, groups, min, max, d });
	return { n, groups, min, max, d };
}

/** Sizes that cannot hold n elements are reported before solving. */
export function checkFeasible(inst: Instance): void {
	let lo = 0;
	let hi = 0;
	for (let g = 0; g < inst.groups; g++) {
		lo += inst.min[g]!;
		hi += inst.max[g]!;
	}
	if (lo > inst.n || hi < inst.n) throw new InstanceError(`the group sizes hold between ${lo} and ${hi} elements, not ${inst.n}`);
}

/** The objective computed from scratch (to verify a solution). */
export function objective(inst: Instance, assignment: Int32Array): number {
	let total = 0;
	for (let i = 0; i < inst.n; i++) for (let j = i + 1; j < inst.n; j++) if (assignment[i] === assignment[j]) total += inst.d[i * inst.n + j]!;
	return total;
}

/** Every reason a solution is not valid (empty when it is). */
export function violations(inst: Instance, assignment: Int32Array, c: Constraints = {}): string[] {
	const out: string[] = [];
	const size = new Int32Array(inst.groups);
	for (let i = 0; i < inst.n; i++) {
		const g = assignment[i]!;
		if (g < 0 || g >= inst.groups) out.push(`element ${i} has no valid group`);
		else size[g]!++;
	}
	for (let g = 0; g < inst.groups; g++)
		if (size[g]! < inst.min[g]! || size[g]! > inst.max[g]!) out.push(`group ${g} has ${size[g]} elements, outside [${inst.min[g]}, ${inst.max[g]}]`);
	for (const [i, g] of c.pinned ?? []) if (assignment[i] !== g) out.push(`element ${i} is not in its pinned group ${g}`);
	for (const [i, j] of c.apart ?? []) if (assignment[i] === assignment[j]) out.push(`elements ${i} and ${j} must be apart`);
	for (const set of c.together ?? []) if (set.some((i) => assignment[i] !== assignment[set[0]!])) out.push(`elements ${set.join(', ')} must be together`);
	return out;
}
