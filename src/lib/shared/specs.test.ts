import { describe, expect, it } from 'vitest';
import { diffLines } from './specs';

/** The two texts a diff describes: "same" and "removed" lines give the old one, "same" and "added" the new. */
const sides = (d: ReturnType<typeof diffLines>) => ({
	before: d
		.filter((l) => l.op !== 'added')
		.map((l) => l.text)
		.join('\n'),
	after: d
		.filter((l) => l.op !== 'removed')
		.map((l) => l.text)
		.join('\n')
});

describe('diffLines', () => {
	it('keeps common lines and reports what was removed and added, in order', () => {
		const d = diffLines('## Contexte\nUn lycée pilote.\nBudget : 10 000 €', '## Contexte\nDeux lycées pilotes.\nBudget : 10 000 €\nCalendrier : juin');
		expect(d).toEqual([
			{ op: 'same', text: '## Contexte' },
			{ op: 'removed', text: 'Un lycée pilote.' },
			{ op: 'added', text: 'Deux lycées pilotes.' },
			{ op: 'same', text: 'Budget : 10 000 €' },
			{ op: 'added', text: 'Calendrier : juin' }
		]);
	});

	it('reports identical texts as unchanged and an emptied text as removed', () => {
		expect(diffLines('a\nb', 'a\nb').every((l) => l.op === 'same')).toBe(true);
		expect(diffLines('a\nb', '')).toEqual([
			{ op: 'removed', text: 'a' },
			{ op: 'removed', text: 'b' },
			{ op: 'added', text: '' }
		]);
	});

	it('describes long specifications exactly, with a small change found among thousands of lines', () => {
		const before = Array.from({ length: 20_000 }, (_, i) => `ligne ${i}`);
		const after = [...before];
		after.splice(10_000, 1, 'ligne modifiée');
		after.push('fin');
		const d = diffLines(before.join('\n'), after.join('\n'));
		expect(sides(d)).toEqual({ before: before.join('\n'), after: after.join('\n') });
		expect(d.filter((l) => l.op !== 'same')).toEqual([
			{ op: 'removed', text: 'ligne 10000' },
			{ op: 'added', text: 'ligne modifiée' },
			{ op: 'added', text: 'fin' }
		]);
	});
});
