import { diffArrays } from 'diff';

export const SPEC_KINDS = ['specification', 'template', 'reference'] as const;
export type SpecKind = (typeof SPEC_KINDS)[number];
export const SPEC_STATES = ['draft', 'under_review', 'published', 'awarded'] as const;
export type SpecState = (typeof SPEC_STATES)[number];
/** The structured sections every specification starts with; free sections may follow. */
export const STANDARD_SECTIONS = ['context', 'objectives', 'deliverables', 'method', 'schedule', 'budget', 'evaluation'] as const;

export interface Section {
	key: string;
	title: string;
	body: string;
}

export type DiffLine = { op: 'same' | 'added' | 'removed'; text: string };

/**
 * A line diff, readable as "what was removed, what was added": Myers' algorithm from the `diff`
 * package (time and memory grow with the size of the change, not with the product of the two
 * lengths as a full LCS table would).
 */
export function diffLines(a: string, b: string): DiffLine[] {
	const out: DiffLine[] = [];
	for (const part of diffArrays(a.split('\n'), b.split('\n'))) {
		const op = part.added ? 'added' : part.removed ? 'removed' : 'same';
		for (const text of part.value) out.push({ op, text });
	}
	return out;
}

const STANDARD_TITLES: Record<string, string> = {
	contexte: 'context',
	objectifs: 'objectives',
	'livrables attendus': 'deliverables',
	livrables: 'deliverables',
	méthode: 'method',
	calendrier: 'schedule',
	budget: 'budget',
	"critères d'évaluation": 'evaluation',
	'critères d’évaluation': 'evaluation'
};
export const STANDARD_FR: Record<(typeof STANDARD_SECTIONS)[number], string> = {
	context: 'Contexte',
	objectives: 'Objectifs',
	deliverables: 'Livrables attendus',
	method: 'Méthode',
	schedule: 'Calendrier',
	budget: 'Budget',
	evaluation: "Critères d'évaluation"
};

/** "## Titre" lines start sections; text before the first heading goes to an untitled one. */
export function parseSections(text: string): Section[] {
	const out: Section[] = [];
	let current: Section | null = null;
	for (const line of text.split(/\r?\n/)) {
		const h = /^##\s+(.+?)\s*$/.exec(line);
		if (h) {
			const title = h[1]!.slice(0, 200);
			const std = STANDARD_TITLES[title.toLowerCase()];
			const key = std && !out.some((s) => s.key === std) ? std : `free-${out.length + 1}`;
			current = { key, title, body: '' };
			out.push(current);
		} else {
			if (!current) {
				if (!line.trim()) continue;
				current = { key: 'free-0', title: 'Préambule', body: '' };
				out.push(current);
			}
			current.body += (current.body ? '\n' : '') + line;
		}
	}
	return out.map((s) => ({ ...s, body: s.body.trim() }));
}

export const sectionsToText = (sections: Section[]): string => sections.map((s) => `## ${s.title}\n\n${s.body}`).join('\n\n');
export const blankSections = (): string => STANDARD_SECTIONS.map((k) => `## ${STANDARD_FR[k]}\n\n`).join('\n');
