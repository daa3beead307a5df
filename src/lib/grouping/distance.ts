/**
 * From participants described by attributes to the distance matrix the grouping solver
 * maximises, and back: what a group is made of and why its diversity is low.
 *
 * Distances are Gower-style, in [0, 1]: a categorical attribute counts 0 when both values are
 * the same (compared trimmed, case- and accent-insensitive) and 1 otherwise; a numeric one counts
 * |a − b| / range, the range taken over the participants. An attribute missing on either side is
 * skipped for that pair and the weights are renormalised over the attributes both have (no
 * attribute in common: distance 0). Pure TypeScript, usable in the browser and on the server.
 */

export type AttributeKind = 'categorical' | 'numeric';

export interface AttributeDef {
	key: string;
	kind: AttributeKind;
	/** ≥ 0; 0 ignores the attribute in distances (it is still described by groupMix). */
	weight: number;
}

export type AttributeValue = string | number | null | undefined;
export type Participant = Record<string, AttributeValue>;

/** The comparison key of a categorical value: trimmed, lower case, without accents ('' = missing). */
export function normalizeCategory(v: AttributeValue): string {
	if (v === null || v === undefined) return '';
	return String(v).trim().normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ');
}

/** A numeric value, or NaN when missing or unreadable (accepts "3,5" as well as "3.5"). */
export function readNumber(v: AttributeValue): number {
	if (v === null || v === undefined) return NaN;
	if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
	const s = v.trim().replace(/\s/g, '').replace(',', '.');
	if (!s) return NaN;
	const x = Number(s);
	return Number.isFinite(x) ? x : NaN;
}

/** One attribute read over every participant, ready for pair distances. */
interface Column {
	def: AttributeDef;
	/** categorical: value code per participant (−1 = missing). */
	codes: Int32Array | null;
	/** code → display label (the first spelling seen, trimmed). */
	labels: string[];
	/** numeric: value per participant (NaN = missing). */
	values: Float64Array | null;
	/** numeric: max − min over the participants with a value. */
	range: number;
}

function columns(attributes: readonly AttributeDef[], participants: readonly Participant[]): Column[] {
	return attributes.map((def) => {
		const n = participants.length;
		if (def.kind === 'categorical') {
			const codes = new Int32Array(n).fill(-1);
			const labels: string[] = [];
			const index = new Map<string, number>();
			for (let i = 0; i < n; i++) {
				const raw = participants[i]![def.key];
				const k = normalizeCategory(raw);
				if (!k) continue;
				let c = index.get(k);
				if (c === undefined) {
					c = labels.length;
					index.set(k, c);
					labels.push(String(raw).trim());
				}
				codes[i] = c;
			}
			return { def, codes, labels, values: null, range: 0 };
		}
		const values = new Float64Array(n);
		let lo = Infinity;
		let hi = -Infinity;
		for (let i = 0; i < n; i++) {
			const x = readNumber(participants[i]![def.key]);
			values[i] = x;
			if (!Number.isNaN(x)) {
				if (x < lo) lo = x;
				if (x > hi) hi = x;
			}
		}
		return { def, codes: null, labels: [], values, range: hi > lo ? hi - lo : 0 };
	});
}

function weightOf(def: AttributeDef): number {
	return Number.isFinite(def.weight) && def.weight > 0 ? def.weight : 0;
}

function pairDistance(cols: readonly Column[], i: number, j: number): number {
	let sum = 0;
	let wsum = 0;
	for (const c of cols) {
		const w = weightOf(c.def);
		if (w === 0) continue;
		if (c.codes) {
			const a = c.codes[i]!;
			const b = c.codes[j]!;
			if (a < 0 || b < 0) continue;
			wsum += w;
			if (a !== b) sum += w;
		} else {
			const a = c.values![i]!;
			const b = c.values![j]!;
			if (Number.isNaN(a) || Number.isNaN(b)) continue;
			wsum += w;
			if (c.range > 0) sum += (w * Math.abs(a - b)) / c.range;
		}
	}
	return wsum > 0 ? sum / wsum : 0;
}

/** The n × n row-major distance matrix (symmetric, zero diagonal, values in [0, 1]). */
export function distanceMatrix(attributes: readonly AttributeDef[], participants: readonly Participant[]): Float64Array {
	const n = participants.length;
	const cols = columns(attributes, participants);
	const d = new Float64Array(n * n);
	for (let i = 0; i < n; i++)
		for (let j = i + 1; j < n; j++) {
			const v = pairDistance(cols, i, j);
			d[i * n + j] = v;
			d[j * n + i] = v;
		}
	return d;
}

/** Sum of the pairwise distances within `members` (the group's contribution to the objective). */
export function groupScore(d: Float64Array, n: number, members: readonly number[]): number {
	let s = 0;
	for (let x = 0; x < members.length; x++) for (let y = x + 1; y < members.length; y++) s += d[members[x]! * n + members[y]!]!;
	return s;
}

export type AttributeMix =
	| {
			key: string;
			kind: 'categorical';
			/** Most frequent first (ties by label); label = the first spelling seen among all participants. */
			counts: { value: string; count: number }[];
			/** Members without a value. */
			missing: number;
	  }
	| {
			key: string;
			kind: 'numeric';
			/** null when no member has a value. */
			min: number | null;
			mean: number | null;
			max: number | null;
			/** Members with a value. */
			count: number;
			missing: number;
	  };

function mixOf(c: Column, members: readonly number[]): AttributeMix {
	if (c.codes) {
		const counts = new Map<number, number>();
		let missing = 0;
		for (const i of members) {
			const code = c.codes[i]!;
			if (code < 0) missing++;
			else counts.set(code, (counts.get(code) ?? 0) + 1);
		}
		const list = [...counts].map(([code, count]) => ({ value: c.labels[code]!, count }));
		list.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
		return { key: c.def.key, kind: 'categorical', counts: list, missing };
	}
	let min = Infinity;
	let max = -Infinity;
	let sum = 0;
	let count = 0;
	for (const i of members) {
		const x = c.values![i]!;
		if (Number.isNaN(x)) continue;
		count++;
		sum += x;
		if (x < min) min = x;
		if (x > max) max = x;
	}
	return count
		? { key: c.def.key, kind: 'numeric', min, mean: sum / count, max, count, missing: members.length - count }
		: { key: c.def.key, kind: 'numeric', min: null, mean: null, max: null, count: 0, missing: members.length };
}

/**
 * What a group is made of, attribute by attribute (every attribute, weighted or not): counts
 * per value for a categorical one, min / mean / max for a numeric one.
 */
export function groupMix(attributes: readonly AttributeDef[], participants: readonly Participant[], members: readonly number[]): AttributeMix[] {
	return columns(attributes, participants).map((c) => mixOf(c, members));
}

export type LowDiversityReason =
	| {
			code: 'homogeneous';
			attribute: string;
			/** Display label of the shared value. */
			value: string;
			/** Share of the group's members with that value, in [0, 1]. */
			share: number;
			/** Share of the session's participants with that value. */
			sessionShare: number;
	  }
	| {
			code: 'narrowRange';
			attribute: string;
			min: number;
			max: number;
			sessionMin: number;
			sessionMax: number;
	  };

export interface GroupExplanation {
	/** Sum of the within-group pairwise distances. */
	score: number;
	pairs: number;
	/** score / pairs (0 for fewer than two members). */
	averagePair: number;
	/** Average pairwise distance over the whole session. */
	sessionAveragePair: number;
	/** averagePair / sessionAveragePair (1 when the session average is 0). */
	ratio: number;
	/** The group's pairs are, on average, less diverse than the session's. */
	belowAverage: boolean;
	/** Why the diversity is low, in attribute order (may be empty). */
	reasons: LowDiversityReason[];
}

/** A group is called homogeneous on a value shared by at least this share of its members… */
export const HOMOGENEOUS_SHARE = 0.6;
/** …when the session's share of that value is lower by at least this margin. */
export const HOMOGENEOUS_MARGIN = 0.1;
/** A numeric spread is narrow when the group's range is at most this share of the session's. */
export const NARROW_RANGE = 0.25;

/**
 * The score of a group and the reasons its diversity is low. `allParticipants` are the indices
 * (into `participants`) of the session everyone is compared with (default: every participant);
 * `d` may pass the matrix from distanceMatrix(attributes, participants) to avoid recomputing.
 */
export function explainGroup(
	attributes: readonly AttributeDef[],
	participants: readonly Participant[],
	members: readonly number[],
	allParticipants?: readonly number[],
	d?: Float64Array
): GroupExplanation {
	const n = participants.length;
	const all = allParticipants ?? [...Array(n).keys()];
	const cols = columns(attributes, participants);
	const dist = d && d.length === n * n ? (i: number, j: number) => d[i * n + j]! : (i: number, j: number) => pairDistance(cols, i, j);

	let score = 0;
	for (let x = 0; x < members.length; x++) for (let y = x + 1; y < members.length; y++) score += dist(members[x]!, members[y]!);
	const pairs = (members.length * (members.length - 1)) / 2;
	let sessionSum = 0;
	for (let x = 0; x < all.length; x++) for (let y = x + 1; y < all.length; y++) sessionSum += dist(all[x]!, all[y]!);
	const sessionPairs = (all.length * (all.length - 1)) / 2;
	const averagePair = pairs > 0 ? score / pairs : 0;
	const sessionAveragePair = sessionPairs > 0 ? sessionSum / sessionPairs : 0;

	const reasons: LowDiversityReason[] = [];
	if (members.length >= 2)
		for (const c of cols) {
			if (weightOf(c.def) === 0) continue;
			const mine = mixOf(c, members);
			const session = mixOf(c, all);
			if (mine.kind === 'categorical' && session.kind === 'categorical') {
				const top = mine.counts[0];
				if (!top || top.count < 2) continue;
				const share = top.count / members.length;
				const sessionCount = session.counts.find((v) => v.value === top.value)?.count ?? 0;
				const sessionShare = all.length ? sessionCount / all.length : 0;
				if (share >= HOMOGENEOUS_SHARE && sessionShare + HOMOGENEOUS_MARGIN <= share)
					reasons.push({ code: 'homogeneous', attribute: c.def.key, value: top.value, share, sessionShare });
			} else if (mine.kind === 'numeric' && session.kind === 'numeric') {
				if (mine.count < 2 || session.min === null || session.max === null || mine.min === null || mine.max === null) continue;
				const sessionRange = session.max - session.min;
				if (sessionRange > 0 && mine.max - mine.min <= NARROW_RANGE * sessionRange)
					reasons.push({ code: 'narrowRange', attribute: c.def.key, min: mine.min, max: mine.max, sessionMin: session.min, sessionMax: session.max });
			}
		}
	return {
		score,
		pairs,
		averagePair,
		sessionAveragePair,
		ratio: sessionAveragePair > 0 ? averagePair / sessionAveragePair : 1,
		belowAverage: averagePair < sessionAveragePair - 1e-12,
		reasons
	};
}
