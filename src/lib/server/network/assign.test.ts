import { describe, expect, it } from 'vitest';
import { proposeAssignment, type Candidate } from './assign';

const c = (id: string, level: Candidate['level'], answer: Candidate['answer'], load = 0): Candidate => ({ referentId: id, name: id, level, answer, load });

describe('proposeAssignment', () => {
	it('takes willing people at the required level, least loaded first, yes before maybe', () => {
		const p = proposeAssignment(
			[c('a', 'facilitator', 'yes', 3), c('b', 'trainer', 'maybe', 0), c('c', 'facilitator', 'yes', 1), c('d', 'facilitator', 'no', 0)],
			2,
			'facilitator',
			false
		);
		expect(p.picks.map((x) => x.referentId)).toEqual(['c', 'a']);
		expect(p.shortfall).toBe(0);
	});

	it('pairs novices who said yes with the most experienced leads, one each', () => {
		const p = proposeAssignment(
			[
				c('lead1', 'facilitator', 'yes', 0),
				c('lead2', 'trainer', 'yes', 2),
				c('n1', 'observer', 'yes', 0),
				c('n2', 'co_facilitator', 'yes', 0),
				c('n3', 'observer', 'maybe', 0),
				c('n4', 'observer', 'yes', 5)
			],
			2,
			'facilitator',
			true
		);
		expect(p.picks).toEqual([
			{ referentId: 'lead1', role: 'facilitator', pairedWith: null },
			{ referentId: 'lead2', role: 'facilitator', pairedWith: null },
			{ referentId: 'n2', role: 'co_facilitator', pairedWith: 'lead2' },
			{ referentId: 'n1', role: 'co_facilitator', pairedWith: 'lead1' }
		]);
	});

	it('reports how many facilitators are missing and never promotes a novice to lead', () => {
		const p = proposeAssignment([c('lead', 'facilitator', 'yes'), c('n', 'observer', 'yes')], 3, 'facilitator', true);
		expect(p.shortfall).toBe(2);
		expect(p.picks.filter((x) => x.role === 'facilitator').map((x) => x.referentId)).toEqual(['lead']);
	});

	it('is deterministic whatever the input order', () => {
		const list = Array.from({ length: 30 }, (_, i) => c(`r${i}`, i % 3 ? 'facilitator' : 'observer', i % 4 ? 'yes' : 'maybe', i % 5));
		const a = proposeAssignment(list, 8, 'facilitator', true);
		const b = proposeAssignment([...list].reverse(), 8, 'facilitator', true);
		expect(b).toEqual(a);
	});
});
