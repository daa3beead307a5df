/**
 * Facilitators spread over the groups: one lead per group, the most experienced first; when
 * there are at least two per group, each lead is paired with a novice (the most experienced
 * with the least experienced, and so on), so that experience is passed on. Deterministic: equal
 * levels are ordered by id.
 */

export type FacilitatorLevel = 'observer' | 'co_facilitator' | 'facilitator' | 'trainer';

export interface Facilitator {
	id: string;
	level: FacilitatorLevel;
}

/** Experience rank of each level (higher = more experienced). */
export const LEVEL_RANK: Record<FacilitatorLevel, number> = { observer: 0, co_facilitator: 1, facilitator: 2, trainer: 3 };

export interface GroupFacilitators {
	lead: string;
	/** The novice paired with the lead (only when there are at least 2 × groups facilitators). */
	second: string | null;
}

export type FacilitatorAssignment =
	| {
			ok: true;
			/** Index g = group g. */
			groups: GroupFacilitators[];
			/** Facilitators left without a group, most experienced first. */
			unassigned: string[];
	  }
	| { ok: false; code: 'grouping.fewerFacilitators'; params: { facilitators: number; groups: number } }
	| { ok: false; code: 'grouping.noGroups'; params: { groups: number } };

const byExperience = (a: Facilitator, b: Facilitator) => (LEVEL_RANK[b.level] ?? 0) - (LEVEL_RANK[a.level] ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function assignFacilitators(groups: number, facilitators: readonly Facilitator[]): FacilitatorAssignment {
	if (!Number.isInteger(groups) || groups < 1) return { ok: false, code: 'grouping.noGroups', params: { groups } };
	const F = facilitators.length;
	if (F < groups) return { ok: false, code: 'grouping.fewerFacilitators', params: { facilitators: F, groups } };
	const sorted = [...facilitators].sort(byExperience);
	const paired = F >= 2 * groups;
	const out: GroupFacilitators[] = [];
	for (let g = 0; g < groups; g++) out.push({ lead: sorted[g]!.id, second: paired ? sorted[F - 1 - g]!.id : null });
	const unassigned = sorted.slice(groups, paired ? F - groups : F).map((f) => f.id);
	return { ok: true, groups: out, unassigned };
}
