export const EXPERIMENT_STATUSES = ['idea', 'framing', 'commissioning', 'running', 'evaluation', 'capitalised'] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];
export const RESPONSIBILITIES = ['organisation', 'communication', 'capitalisation', 'mobilisation', 'amo'] as const;
export type Responsibility = (typeof RESPONSIBILITIES)[number];
export const VERDICTS = ['confirmed', 'refuted', 'inconclusive'] as const;
export type Verdict = (typeof VERDICTS)[number];
export const MILESTONE_STATES = ['planned', 'done', 'cancelled'] as const;
export type MilestoneState = (typeof MILESTONE_STATES)[number];

/** The workflow moves one step at a time, forward or back. */
export function canMove(from: ExperimentStatus, to: ExperimentStatus): boolean {
	return Math.abs(EXPERIMENT_STATUSES.indexOf(from) - EXPERIMENT_STATUSES.indexOf(to)) === 1;
}
export const nextStatus = (s: ExperimentStatus): ExperimentStatus | null => EXPERIMENT_STATUSES[EXPERIMENT_STATUSES.indexOf(s) + 1] ?? null;
export const previousStatus = (s: ExperimentStatus): ExperimentStatus | null => EXPERIMENT_STATUSES[EXPERIMENT_STATUSES.indexOf(s) - 1] ?? null;
/** Verdicts are given once the experiment is being evaluated. */
export const verdictAllowed = (s: ExperimentStatus): boolean => s === 'evaluation' || s === 'capitalised';
