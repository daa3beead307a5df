import { describe, expect, it } from 'vitest';
import { groupSizes } from './sizes';

const plain = (r: ReturnType<typeof groupSizes>) => (r.ok ? { groups: r.groups, min: Array.from(r.min), max: Array.from(r.max) } : r);

describe('group sizes', () => {
	it('splits into G groups within ±1', () => {
		expect(plain(groupSizes(23, { mode: 'groups', groups: 4 }))).toEqual({ groups: 4, min: [5, 5, 5, 5], max: [6, 6, 6, 6] });
		expect(plain(groupSizes(20, { mode: 'groups', groups: 4 }))).toEqual({ groups: 4, min: [5, 5, 5, 5], max: [5, 5, 5, 5] });
		expect(groupSizes(3, { mode: 'groups', groups: 5 })).toEqual({ ok: false, code: 'grouping.tooManyGroups', params: { groups: 5, participants: 3 } });
		expect(groupSizes(3, { mode: 'groups', groups: 0 })).toMatchObject({ ok: false, code: 'grouping.noGroups' });
		expect(groupSizes(3, { mode: 'groups', groups: 1.5 })).toMatchObject({ ok: false, code: 'grouping.noGroups' });
	});

	it('derives the number of groups from a target size', () => {
		expect(plain(groupSizes(23, { mode: 'size', size: 6 }))).toEqual({ groups: 4, min: [5, 5, 5, 5], max: [6, 6, 6, 6] });
		expect(plain(groupSizes(25, { mode: 'size', size: 10 }))).toMatchObject({ groups: 3, min: [8, 8, 8], max: [9, 9, 9] });
		expect(plain(groupSizes(4, { mode: 'size', size: 10 }))).toEqual({ groups: 1, min: [4], max: [4] });
		expect(groupSizes(4, { mode: 'size', size: 0 })).toMatchObject({ ok: false, code: 'grouping.noGroups' });
		expect(groupSizes(0, { mode: 'size', size: 3 })).toMatchObject({ ok: false, code: 'grouping.tooManyGroups' });
	});

	it('takes exact sizes that add up to the participants', () => {
		expect(plain(groupSizes(10, { mode: 'exact', sizes: [3, 3, 4] }))).toEqual({ groups: 3, min: [3, 3, 4], max: [3, 3, 4] });
		expect(groupSizes(11, { mode: 'exact', sizes: [3, 3, 4] })).toEqual({ ok: false, code: 'grouping.exactSizesSum', params: { sum: 10, participants: 11 } });
		expect(groupSizes(10, { mode: 'exact', sizes: [0, 6, 4] })).toMatchObject({ ok: false, code: 'grouping.exactSizesSum' });
		expect(groupSizes(10, { mode: 'exact', sizes: [] })).toMatchObject({ ok: false, code: 'grouping.noGroups' });
	});
});
