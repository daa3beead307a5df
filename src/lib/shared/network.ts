import type { MessageKey } from '$lib/i18n';
/**
 * The referent network's vocabulary, shared by server and pages: territories of the region,
 * the experience ladder and how a level follows from what was recorded.
 */

/** The six départements of Provence-Alpes-Côte d'Azur, and the region as a whole. */
export const TERRITORIES = ['04', '05', '06', '13', '83', '84', 'region'] as const;
export type Territory = (typeof TERRITORIES)[number];

export const TERRITORY_NAMES: Record<Territory, string> = {
	'04': 'Alpes-de-Haute-Provence',
	'05': 'Hautes-Alpes',
	'06': 'Alpes-Maritimes',
	'13': 'Bouches-du-Rhône',
	'83': 'Var',
	'84': 'Vaucluse',
	region: 'Région'
};

/** Reads "13", "Bouches-du-Rhône", "bouches du rhone", "région"… into a territory code. */
export function parseTerritory(raw: string): Territory | null {
	const v = fold(raw);
	if (!v) return null;
	for (const code of TERRITORIES) {
		if (v === code || v === fold(TERRITORY_NAMES[code])) return code;
	}
	if (v === 'region' || v === 'regional' || v === 'paca' || v === 'toute la region') return 'region';
	return null;
}

export const LEVELS = ['observer', 'co_facilitator', 'facilitator', 'trainer'] as const;
export type Level = (typeof LEVELS)[number];
export const isLevel = (v: unknown): v is Level => typeof v === 'string' && (LEVELS as readonly string[]).includes(v);
export const levelRank = (l: Level): number => LEVELS.indexOf(l);

/** What the ladder is computed from: past events where the person was recorded, by role. */
export interface LadderCounts {
	facilitated: number;
	coFacilitated: number;
	trainingsCompleted: number;
	trainingsGiven: number;
}

export const EMPTY_COUNTS: LadderCounts = { facilitated: 0, coFacilitated: 0, trainingsCompleted: 0, trainingsGiven: 0 };

/** One reason per rung reached, as i18n keys with their numbers, so a profile can say why. */
export interface LevelReason {
	key: MessageKey;
	n: number;
}

/**
 * The ladder, never typed by hand:
 * - trainer: has given a training, or facilitated 5 times after completing a training;
 * - facilitator: facilitated once after completing a training, or facilitated 3 times;
 * - co-facilitator: co-facilitated or facilitated once, or completed a training;
 * - observer: everyone who joined.
 */
export function levelOf(c: LadderCounts): { level: Level; reasons: LevelReason[] } {
	const reasons: LevelReason[] = [];
	if (c.facilitated) reasons.push({ key: 'network.reason.facilitated', n: c.facilitated });
	if (c.coFacilitated) reasons.push({ key: 'network.reason.coFacilitated', n: c.coFacilitated });
	if (c.trainingsCompleted) reasons.push({ key: 'network.reason.trainings', n: c.trainingsCompleted });
	if (c.trainingsGiven) reasons.push({ key: 'network.reason.trainingsGiven', n: c.trainingsGiven });
	let level: Level = 'observer';
	if (c.trainingsGiven >= 1 || (c.facilitated >= 5 && c.trainingsCompleted >= 1)) level = 'trainer';
	else if ((c.facilitated >= 1 && c.trainingsCompleted >= 1) || c.facilitated >= 3) level = 'facilitator';
	else if (c.coFacilitated >= 1 || c.facilitated >= 1 || c.trainingsCompleted >= 1) level = 'co_facilitator';
	return { level, reasons };
}

/** The next rung and what it takes, for the profile. */
export function nextStep(c: LadderCounts): MessageKey | null {
	const { level } = levelOf(c);
	if (level === 'observer') return 'network.next.coFacilitator';
	if (level === 'co_facilitator') return c.trainingsCompleted ? 'network.next.facilitateOnce' : 'network.next.training';
	if (level === 'facilitator') return c.trainingsCompleted ? 'network.next.trainer' : 'network.next.trainingForTrainer';
	return null;
}

/** Where a call to the network stands. */
export const CALL_STATES = ['draft', 'open', 'assigned', 'cancelled'] as const;
export type CallState = (typeof CALL_STATES)[number];

/** Answers to a call. */
export const ANSWERS = ['yes', 'maybe', 'no'] as const;
export type Answer = (typeof ANSWERS)[number];
export const isAnswer = (v: unknown): v is Answer => typeof v === 'string' && (ANSWERS as readonly string[]).includes(v);

export const ASSIGN_ROLES = ['facilitator', 'co_facilitator'] as const;
export type AssignRole = (typeof ASSIGN_ROLES)[number];

/** The version of the consent text shown to people joining; bump it when the text changes. */
export const CONSENT_VERSION = '2026-11';

export function fold(s: string): string {
	return s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[-_'’]/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
}
