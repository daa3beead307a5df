/**
 * Impossible settings found before solving, each as a code the interface translates and its
 * parameters. Participants are given by index: the caller maps indices to names (`a`, `b`,
 * `participant` are indices; `members` is a comma-separated list of indices, e.g. "3,7,12").
 */

export type GroupingCode =
	| 'grouping.tooManyGroups'
	| 'grouping.noGroups'
	| 'grouping.exactSizesSum'
	| 'grouping.togetherAndApart'
	| 'grouping.togetherTooLarge'
	| 'grouping.pinnedConflict'
	| 'grouping.pinnedApart'
	| 'grouping.pinnedOverflow'
	| 'grouping.pinnedOutOfRange'
	| 'grouping.apartImpossible'
	| 'grouping.fewerFacilitators'
	/** The solver itself gave up (malformed request, or a start it could not build): params { message }. */
	| 'grouping.solveFailed';

export interface GroupingProblem {
	code: GroupingCode;
	params: Record<string, string | number>;
}

/** The size part of an instance (no distances needed). */
export interface GroupShapeInput {
	n: number;
	groups: number;
	min: ArrayLike<number>;
	max: ArrayLike<number>;
}

export interface PrecheckConstraints {
	/** participant → group, as a Map or as pairs. */
	pinned?: ReadonlyMap<number, number> | readonly (readonly [number, number])[];
	apart?: readonly (readonly [number, number])[];
	together?: readonly (readonly number[])[];
}

export interface PrecheckOptions {
	/** Number of facilitators available, when one is needed per group. */
	facilitators?: number;
}

class UnionFind {
	readonly parent: Int32Array;
	constructor(n: number) {
		this.parent = Int32Array.from({ length: n }, (_, i) => i);
	}
	find(i: number): number {
		const p = this.parent;
		while (p[i] !== i) {
			p[i] = p[p[i]!]!;
			i = p[i]!;
		}
		return i;
	}
	union(i: number, j: number): void {
		const a = this.find(i);
		const b = this.find(j);
		if (a !== b) this.parent[Math.max(a, b)] = Math.min(a, b);
	}
}

function checkIndex(n: number, i: number, what: string): void {
	if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`${what}: participant ${i} does not exist (n = ${n})`);
}

/**
 * Together-sets merged when they share a participant (union-find): the sets of two or more
 * participants, each sorted, ordered by their smallest member.
 */
export function mergeTogether(n: number, sets: readonly (readonly number[])[]): number[][] {
	const uf = new UnionFind(n);
	for (const set of sets) {
		for (const i of set) checkIndex(n, i, 'together');
		for (let k = 1; k < set.length; k++) uf.union(set[0]!, set[k]!);
	}
	const byRoot = new Map<number, number[]>();
	for (const set of sets)
		for (const i of set) {
			const r = uf.find(i);
			const list = byRoot.get(r) ?? [];
			if (!list.includes(i)) list.push(i);
			byRoot.set(r, list);
		}
	return [...byRoot.values()]
		.filter((s) => s.length >= 2)
		.map((s) => s.sort((a, b) => a - b))
		.sort((a, b) => a[0]! - b[0]!);
}

function pinnedPairs(p: PrecheckConstraints['pinned']): [number, number][] {
	if (!p) return [];
	return p instanceof Map ? [...p] : (p as readonly (readonly [number, number])[]).map(([i, g]) => [i, g]);
}

/**
 * Every impossible setting found before solving (empty when none is found). The checks are
 * necessary conditions: an empty list does not prove a solution exists, but each problem
 * reported proves none does.
 */
export function precheck(shape: GroupShapeInput, c: PrecheckConstraints = {}, opts: PrecheckOptions = {}): GroupingProblem[] {
	const { n, groups: G } = shape;
	const out: GroupingProblem[] = [];
	if (!Number.isInteger(G) || G < 1) return [{ code: 'grouping.noGroups', params: { participants: n } }];
	if (G > n) return [{ code: 'grouping.tooManyGroups', params: { groups: G, participants: n } }];
	let lo = 0;
	let hi = 0;
	let largest = 0;
	for (let g = 0; g < G; g++) {
		lo += shape.min[g] ?? 0;
		hi += shape.max[g] ?? 0;
		largest = Math.max(largest, shape.max[g] ?? 0);
	}
	if (lo > n) out.push({ code: 'grouping.exactSizesSum', params: { sum: lo, participants: n } });
	else if (hi < n) out.push({ code: 'grouping.exactSizesSum', params: { sum: hi, participants: n } });
	if (opts.facilitators !== undefined && opts.facilitators < G)
		out.push({ code: 'grouping.fewerFacilitators', params: { facilitators: opts.facilitators, groups: G } });

	// Together-sets merged into components; a component goes whole into one group.
	const uf = new UnionFind(n);
	for (const set of c.together ?? []) {
		for (const i of set) checkIndex(n, i, 'together');
		for (let k = 1; k < set.length; k++) uf.union(set[0]!, set[k]!);
	}
	const compSize = new Int32Array(n);
	for (let i = 0; i < n; i++) compSize[uf.find(i)]!++;

	// The group each component is pinned to (through any of its members).
	const compPin = new Int32Array(n).fill(-1);
	const pinnedBy = new Int32Array(n).fill(-1);
	for (const [i, g] of pinnedPairs(c.pinned)) {
		checkIndex(n, i, 'pinned');
		if (!Number.isInteger(g) || g < 0 || g >= G) {
			out.push({ code: 'grouping.pinnedOutOfRange', params: { participant: i, group: g, groups: G } });
			continue;
		}
		const r = uf.find(i);
		if (compPin[r]! < 0) {
			compPin[r] = g;
			pinnedBy[r] = i;
		} else if (compPin[r] !== g) out.push({ code: 'grouping.pinnedConflict', params: { a: pinnedBy[r]!, b: i } });
	}

	// Components larger than the group that must (or could at best) hold them.
	const members = new Map<number, number[]>();
	for (let i = 0; i < n; i++) {
		const r = uf.find(i);
		if (compSize[r]! < 2) continue;
		const list = members.get(r);
		if (list) list.push(i);
		else members.set(r, [i]);
	}
	const tooLarge = new Set<number>();
	for (const [r, list] of members) {
		const cap = compPin[r]! >= 0 ? shape.max[compPin[r]!]! : largest;
		if (list.length <= cap) continue;
		tooLarge.add(r);
		out.push({ code: 'grouping.togetherTooLarge', params: { size: list.length, max: cap, members: list.join(',') } });
	}

	// More people pinned to a group (with their together-sets) than it can hold; a set already
	// reported as too large for its group is not counted again.
	const pinnedCount = new Int32Array(G);
	for (let r = 0; r < n; r++) if (uf.find(r) === r && compPin[r]! >= 0 && !tooLarge.has(r)) pinnedCount[compPin[r]!]! += compSize[r]!;
	for (let g = 0; g < G; g++)
		if (pinnedCount[g]! > shape.max[g]!) out.push({ code: 'grouping.pinnedOverflow', params: { group: g, count: pinnedCount[g]!, max: shape.max[g]! } });

	// Apart pairs: inside one component, pinned to one group, or a clique wider than G groups.
	const adj = new Map<number, Set<number>>();
	const rep = new Map<number, number>();
	for (const [a, b] of c.apart ?? []) {
		checkIndex(n, a, 'apart');
		checkIndex(n, b, 'apart');
		const ra = uf.find(a);
		const rb = uf.find(b);
		if (ra === rb) {
			out.push({ code: 'grouping.togetherAndApart', params: { a, b } });
			continue;
		}
		if (compPin[ra]! >= 0 && compPin[ra] === compPin[rb]) {
			out.push({ code: 'grouping.pinnedApart', params: { a, b, group: compPin[ra]! } });
			continue;
		}
		if (!rep.has(ra)) rep.set(ra, a);
		if (!rep.has(rb)) rep.set(rb, b);
		(adj.get(ra) ?? adj.set(ra, new Set()).get(ra)!).add(rb);
		(adj.get(rb) ?? adj.set(rb, new Set()).get(rb)!).add(ra);
	}
	const clique = apartClique(adj, G);
	if (clique) out.push({ code: 'grouping.apartImpossible', params: { size: clique.length, groups: G, members: clique.map((r) => rep.get(r)!).join(',') } });
	return out;
}

/**
 * A set of more than G components that must all be in different groups, found greedily from
 * each component with at least G apart partners (neighbours by decreasing degree), or null.
 */
function apartClique(adj: Map<number, Set<number>>, G: number): number[] | null {
	const degree = (v: number) => adj.get(v)?.size ?? 0;
	const starts = [...adj.keys()].filter((v) => degree(v) >= G).sort((x, y) => degree(y) - degree(x) || x - y);
	for (const v of starts) {
		const clique = [v];
		const candidates = [...adj.get(v)!].sort((x, y) => degree(y) - degree(x) || x - y);
		for (const u of candidates) if (clique.every((w) => adj.get(u)!.has(w))) clique.push(u);
		if (clique.length > G) return clique.sort((x, y) => x - y);
	}
	return null;
}
