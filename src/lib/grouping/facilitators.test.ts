import { describe, expect, it } from 'vitest';
import { assignFacilitators, type Facilitator } from './facilitators';

const team: Facilitator[] = [
	{ id: 'f-obs2', level: 'observer' },
	{ id: 'f-trainer', level: 'trainer' },
	{ id: 'f-fac-b', level: 'facilitator' },
	{ id: 'f-co', level: 'co_facilitator' },
	{ id: 'f-fac-a', level: 'facilitator' },
	{ id: 'f-obs1', level: 'observer' }
];

describe('facilitators', () => {
	it('refuses fewer facilitators than groups', () => {
		expect(assignFacilitators(7, team)).toEqual({ ok: false, code: 'grouping.fewerFacilitators', params: { facilitators: 6, groups: 7 } });
		expect(assignFacilitators(0, team)).toMatchObject({ ok: false, code: 'grouping.noGroups' });
	});

	it('gives one lead per group, the most experienced first, ties by id', () => {
		expect(assignFacilitators(4, team)).toEqual({
			ok: true,
			groups: [
				{ lead: 'f-trainer', second: null },
				{ lead: 'f-fac-a', second: null },
				{ lead: 'f-fac-b', second: null },
				{ lead: 'f-co', second: null }
			],
			unassigned: ['f-obs1', 'f-obs2']
		});
	});

	it('pairs the most experienced with the least experienced when there are two per group', () => {
		expect(assignFacilitators(3, team)).toEqual({
			ok: true,
			groups: [
				{ lead: 'f-trainer', second: 'f-obs2' },
				{ lead: 'f-fac-a', second: 'f-obs1' },
				{ lead: 'f-fac-b', second: 'f-co' }
			],
			unassigned: []
		});
		const r = assignFacilitators(2, team);
		expect(r).toEqual({
			ok: true,
			groups: [
				{ lead: 'f-trainer', second: 'f-obs2' },
				{ lead: 'f-fac-a', second: 'f-obs1' }
			],
			unassigned: ['f-fac-b', 'f-co']
		});
	});

	it('does not depend on the input order', () => {
		const shuffled = [team[3]!, team[0]!, team[5]!, team[1]!, team[4]!, team[2]!];
		expect(assignFacilitators(3, shuffled)).toEqual(assignFacilitators(3, team));
	});
});
