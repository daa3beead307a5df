/**
 * Group size intervals from the organiser's choice: a number of groups, a target size, or the
 * exact size of every group.
 */
import type { GroupingProblem } from './precheck';

export type SizeChoice = { mode: 'groups'; groups: number } | { mode: 'size'; size: number } | { mode: 'exact'; sizes: number[] };

export interface GroupShape {
	groups: number;
	min: Int32Array;
	max: Int32Array;
}

export type SizesResult = ({ ok: true } & GroupShape) | ({ ok: false } & GroupingProblem);

/** G groups whose sizes differ by at most one: each in [floor(n / G), ceil(n / G)]. */
function balanced(n: number, groups: number): SizesResult {
	if (!Number.isInteger(groups) || groups < 1) return { ok: false, code: 'grouping.noGroups', params: { participants: n } };
	if (groups > n) return { ok: false, code: 'grouping.tooManyGroups', params: { groups, participants: n } };
	return { ok: true, groups, min: new Int32Array(groups).fill(Math.floor(n / groups)), max: new Int32Array(groups).fill(Math.ceil(n / groups)) };
}

/**
 * The size interval of every group for n participants.
 * - `groups`: G groups within ±1 of each other;
 * - `size`: G = round(n / size) (at least 1), then as above;
 * - `exact`: min = max = each given size; the sizes must be positive integers adding up to n
 *   (otherwise `grouping.exactSizesSum`, with the sum of the valid ones).
 */
export function groupSizes(n: number, choice: SizeChoice): SizesResult {
	switch (choice.mode) {
		case 'groups':
			return balanced(n, choice.groups);
		case 'size': {
			if (!(choice.size >= 1) || !Number.isFinite(choice.size)) return { ok: false, code: 'grouping.noGroups', params: { participants: n } };
			return balanced(n, Math.max(1, Math.round(n / choice.size)));
		}
		case 'exact': {
			const sizes = choice.sizes;
			if (sizes.length === 0) return { ok: false, code: 'grouping.noGroups', params: { participants: n } };
			if (sizes.length > n) return { ok: false, code: 'grouping.tooManyGroups', params: { groups: sizes.length, participants: n } };
			const valid = sizes.every((s) => Number.isInteger(s) && s >= 1);
			const sum = sizes.reduce((a, s) => a + (Number.isFinite(s) ? s : 0), 0);
			if (!valid || sum !== n) return { ok: false, code: 'grouping.exactSizesSum', params: { sum, participants: n } };
			return { ok: true, groups: sizes.length, min: Int32Array.from(sizes), max: Int32Array.from(sizes) };
		}
	}
}
