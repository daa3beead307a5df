import { levelRank, type Answer, type AssignRole, type Level } from '$lib/shared/network';

/** A referent who answered a call, as the proposal sees them. */
export interface Candidate {
	referentId: string;
	name: string;
	answer: Answer | null;
	level: Level;
	/** Facilitations over the last twelve months (and those already planned). */
	load: number;
}

export interface Proposal {
	picks: { referentId: string; role: AssignRole; pairedWith: string | null }[];
	/** Facilitators still missing to reach `needed`. */
	shortfall: number;
}

/**
 * A fair proposal for a call:
 * - leads are people at or above the required level who said yes (then maybe), the least
 *   loaded first, so work spreads across the network; ties go to the more experienced, then
 *   to a stable order;
 * - when novices are welcome, each one who said yes joins a lead as co-facilitator, the least
 *   loaded novices first and the most experienced leads first, at most one novice per lead.
 * Skills and availability were checked when the call was sent. Deterministic.
 */
export function proposeAssignment(candidates: Candidate[], needed: number, minLevel: Level, pairNovices: boolean): Proposal {
	const answerRank = (a: Answer | null) => (a === 'yes' ? 0 : a === 'maybe' ? 1 : 2);
	const willing = candidates.filter((c) => c.answer === 'yes' || c.answer === 'maybe');
	const byFairness = (a: Candidate, b: Candidate) =>
		answerRank(a.answer) - answerRank(b.answer) ||
		a.load - b.load ||
		levelRank(b.level) - levelRank(a.level) ||
		a.name.localeCompare(b.name, 'fr') ||
		a.referentId.localeCompare(b.referentId);
	const leads = willing
		.filter((c) => levelRank(c.level) >= levelRank(minLevel))
		.sort(byFairness)
		.slice(0, needed);
	const picks: Proposal['picks'] = leads.map((c) => ({ referentId: c.referentId, role: 'facilitator', pairedWith: null }));
	if (pairNovices) {
		const novices = willing
			.filter((c) => c.answer === 'yes' && levelRank(c.level) < levelRank(minLevel))
			.sort(
				(a, b) => a.load - b.load || levelRank(b.level) - levelRank(a.level) || a.name.localeCompare(b.name, 'fr') || a.referentId.localeCompare(b.referentId)
			);
		const mentors = [...leads].sort((a, b) => levelRank(b.level) - levelRank(a.level) || a.load - b.load || a.referentId.localeCompare(b.referentId));
		mentors.forEach((m, i) => {
			const n = novices[i];
			if (n) picks.push({ referentId: n.referentId, role: 'co_facilitator', pairedWith: m.referentId });
		});
	}
	return { picks, shortfall: Math.max(0, needed - leads.length) };
}
