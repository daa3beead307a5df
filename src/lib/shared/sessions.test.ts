import { describe, expect, it } from 'vitest';
import { translate } from '$lib/server/i18n';
import {
	assignmentProblems,
	buildProblem,
	DEFAULT_SETTINGS,
	moveRefusal,
	parseConstraintLines,
	scoreOf,
	swapRefusal,
	type SessionParticipant
} from './sessions';

const person = (id: string, name: string, actorType: SessionParticipant['actorType'], scale: SessionParticipant['scale']): SessionParticipant => ({
	id,
	name,
	email: '',
	organisation: '',
	actorType,
	scale,
	directorate: '',
	extra: {},
	source: 'manual'
});
const people = [
	person('a', 'Aline Exemple', 'public', 'region'),
	person('b', 'Bruno Exemple', 'public', 'region'),
	person('c', 'Carole Exemple', 'private', 'commune'),
	person('d', 'Denis Exemple', 'private', 'commune'),
	person('e', 'Émile Exemple', 'citizen', 'state'),
	person('f', 'Fanny Exemple', 'associative', 'departement')
];
const attributes = [
	{ key: 'actorType', label: null, kind: 'categorical' as const },
	{ key: 'scale', label: null, kind: 'categorical' as const }
];

describe('constraints typed by name', () => {
	it('reads together, apart and pinned lines, accents and case ignored', () => {
		const r = parseConstraintLines({ together: 'aline exemple + Bruno Exemple', apart: 'Carole Exemple / emile exemple', pinned: 'Fanny Exemple = 2' }, people);
		expect(r).toEqual({ ok: true, together: [['a', 'b']], apart: [['c', 'e']], pinned: { f: 1 } });
	});
	it('points at the line and the name it does not know', () => {
		expect(parseConstraintLines({ together: '', apart: 'Aline Exemple / Bruno Exemple\nAline Exemple / Zoé', pinned: '' }, people)).toEqual({
			ok: false,
			field: 'apart',
			line: 2,
			key: 'session.constraint.unknownName',
			name: 'Zoé'
		});
		expect(parseConstraintLines({ together: 'Aline Exemple', apart: '', pinned: '' }, people)).toMatchObject({
			ok: false,
			field: 'together',
			line: 1,
			key: 'session.constraint.togetherFormat'
		});
		expect(parseConstraintLines({ together: '', apart: '', pinned: 'Aline Exemple = 0' }, people)).toMatchObject({
			ok: false,
			key: 'session.constraint.pinnedFormat'
		});
	});
});

describe('the problem and manual changes', () => {
	const settings = {
		...DEFAULT_SETTINGS,
		sizing: { mode: 'groups' as const, groups: 2 },
		together: [['a', 'b']],
		apart: [['c', 'd'] as [string, string]],
		pinned: { e: 0 }
	};
	const p = buildProblem(people, attributes, settings, 2);

	it('translates ids into indices and finds nothing impossible', () => {
		expect(p.problems).toEqual([]);
		expect(p.together).toEqual([[0, 1]]);
		expect(p.apart).toEqual([[2, 3]]);
		expect(p.pinned).toEqual([[4, 0]]);
		expect(Array.from(p.min)).toEqual([3, 3]);
	});

	it('refuses moves and swaps that break a rule, with the reason', () => {
		// a, b together; c apart from d; e pinned to the first group. Valid: {a, b, e} {c, d?}…
		const valid = [0, 0, 1, 0, 0, 1].map((g, i) => (i === 3 ? 1 : g)); // a b e | c d f — but c/d apart
		expect(assignmentProblems(p, valid)).toEqual(['session.invalid.apart']);
		const start = [0, 0, 1, 1, 0, 1];
		expect(moveRefusal(p, start, 4, 1)).toEqual({ key: 'session.refuse.pinned', params: { group: 1 } });
		expect(moveRefusal(p, start, 0, 1)).toEqual({ key: 'session.refuse.together', params: { count: 1 } });
		expect(moveRefusal(p, [0, 0, 0, 1, 1, 1], 2, 1)).toEqual({ key: 'session.refuse.apart', params: { other: 3 } });
		expect(moveRefusal(p, [0, 0, 1, 1, 0, 1], 5, 0)).toEqual({ key: 'session.refuse.full', params: { group: 1, max: 3 } });
		expect(swapRefusal(p, start, 4, 5)).toEqual({ key: 'session.refuse.pinned', params: { group: 1 } });
		expect(
			swapRefusal(
				p,
				[0, 0, 1, 0, 1, 1].map((g, i) => (i === 4 ? 0 : i === 3 ? 1 : g)),
				2,
				3
			)
		).toBeNull();
		expect(assignmentProblems(p, [0, 0, 0, 1, 1, 1])).toEqual(['session.invalid.pinned']);
		expect(assignmentProblems(p, [0, 0])).toEqual(['session.invalid.length']);
	});

	it('counts the other people of a together-set, in the singular for one', () => {
		const pair = moveRefusal(p, [0, 0, 1, 1, 0, 1], 0, 1)!;
		expect(translate('fr', pair.key, pair.params)).toBe('elle doit rester avec 1 autre personne (utilisez un échange pour tout le groupe).');
		expect(translate('en', pair.key, pair.params)).toBe('they must stay with 1 other person (swap instead).');
		const trio = buildProblem(people, attributes, { ...settings, together: [['a', 'b', 'f']] }, 2);
		const r = moveRefusal(trio, [0, 0, 1, 1, 0, 0], 5, 1)!;
		expect(translate('fr', r.key, r.params)).toBe('elle doit rester avec 2 autres personnes (utilisez un échange pour tout le groupe).');
		const s = swapRefusal(trio, [0, 0, 1, 1, 0, 0], 5, 2)!;
		expect(translate('en', s.key, s.params)).toBe('they must stay with 2 other people (swap instead).');
	});

	it('scores a grouping as the sum of within-group distances', () => {
		// a and b (same type and scale) together: their pair adds nothing.
		const s = scoreOf(p, [0, 0, 1, 1, 0, 1]);
		expect(s).toBeCloseTo(p.d[0 * 6 + 4]! + p.d[1 * 6 + 4]! + p.d[2 * 6 + 3]! + p.d[2 * 6 + 5]! + p.d[3 * 6 + 5]!);
	});

	it('reports impossible settings before solving', () => {
		const bad = buildProblem(people, attributes, { ...settings, apart: [['a', 'b']] }, 2);
		expect(bad.problems.map((x) => x.code)).toContain('grouping.togetherAndApart');
		expect(buildProblem(people, attributes, { ...settings, sizing: { mode: 'groups', groups: 9 } }, 9).problems.map((x) => x.code)).toContain(
			'grouping.tooManyGroups'
		);
		expect(buildProblem(people, attributes, settings, 1).problems.map((x) => x.code)).toContain('grouping.fewerFacilitators');
	});
});
