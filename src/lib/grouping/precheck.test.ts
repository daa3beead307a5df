import { describe, expect, it } from 'vitest';
import { mergeTogether, precheck, type GroupShapeInput } from './precheck';

/** n participants in G groups within ±1. */
const shape = (n: number, G: number): GroupShapeInput => ({ n, groups: G, min: Array(G).fill(Math.floor(n / G)), max: Array(G).fill(Math.ceil(n / G)) });
const codes = (p: ReturnType<typeof precheck>) => p.map((x) => x.code);

describe('precheck', () => {
	it('accepts reasonable settings', () => {
		expect(precheck(shape(12, 3), { pinned: new Map([[0, 1]]), apart: [[1, 2]], together: [[3, 4]] }, { facilitators: 3 })).toEqual([]);
	});

	it('grouping.noGroups and grouping.tooManyGroups', () => {
		expect(precheck({ n: 5, groups: 0, min: [], max: [] })).toEqual([{ code: 'grouping.noGroups', params: { participants: 5 } }]);
		expect(precheck({ n: 3, groups: 4, min: [0, 0, 0, 0], max: [1, 1, 1, 1] })).toEqual([
			{ code: 'grouping.tooManyGroups', params: { groups: 4, participants: 3 } }
		]);
	});

	it('grouping.exactSizesSum', () => {
		expect(precheck({ n: 10, groups: 2, min: [4, 4], max: [4, 4] })).toEqual([{ code: 'grouping.exactSizesSum', params: { sum: 8, participants: 10 } }]);
		expect(precheck({ n: 10, groups: 2, min: [6, 6], max: [6, 6] })).toEqual([{ code: 'grouping.exactSizesSum', params: { sum: 12, participants: 10 } }]);
	});

	it('grouping.fewerFacilitators', () => {
		expect(precheck(shape(12, 3), {}, { facilitators: 2 })).toEqual([{ code: 'grouping.fewerFacilitators', params: { facilitators: 2, groups: 3 } }]);
	});

	it('grouping.togetherAndApart, through merged together-sets', () => {
		expect(precheck(shape(12, 3), { together: [[0, 1]], apart: [[1, 0]] })).toEqual([{ code: 'grouping.togetherAndApart', params: { a: 1, b: 0 } }]);
		// 0–1 and 1–2 are one set, so 0 and 2 cannot be apart
		expect(
			precheck(shape(12, 3), {
				together: [
					[0, 1],
					[1, 2]
				],
				apart: [[0, 2]]
			})
		).toEqual([{ code: 'grouping.togetherAndApart', params: { a: 0, b: 2 } }]);
	});

	it('grouping.togetherTooLarge, against the largest group or the pinned one', () => {
		expect(
			precheck(shape(12, 3), {
				together: [
					[0, 1, 2],
					[2, 3, 4]
				]
			})
		).toEqual([{ code: 'grouping.togetherTooLarge', params: { size: 5, max: 4, members: '0,1,2,3,4' } }]);
		const uneven = { n: 12, groups: 3, min: [2, 2, 2], max: [2, 5, 5] };
		expect(precheck(uneven, { together: [[5, 6, 7]] })).toEqual([]);
		expect(precheck(uneven, { together: [[5, 6, 7]], pinned: new Map([[6, 0]]) })).toEqual([
			{ code: 'grouping.togetherTooLarge', params: { size: 3, max: 2, members: '5,6,7' } }
		]);
	});

	it('grouping.pinnedConflict', () => {
		expect(
			precheck(shape(12, 3), {
				together: [
					[0, 1],
					[1, 2]
				],
				pinned: [
					[0, 0],
					[2, 1]
				]
			})
		).toEqual([{ code: 'grouping.pinnedConflict', params: { a: 0, b: 2 } }]);
		expect(
			precheck(shape(12, 3), {
				together: [[0, 1]],
				pinned: [
					[0, 2],
					[1, 2]
				]
			})
		).toEqual([]);
	});

	it('grouping.pinnedApart, directly or through a together-set', () => {
		expect(
			precheck(shape(12, 3), {
				pinned: new Map([
					[0, 1],
					[1, 1]
				]),
				apart: [[0, 1]]
			})
		).toEqual([{ code: 'grouping.pinnedApart', params: { a: 0, b: 1, group: 1 } }]);
		expect(
			precheck(shape(12, 3), {
				pinned: new Map([
					[0, 1],
					[5, 1]
				]),
				together: [[1, 5]],
				apart: [[0, 1]]
			})
		).toEqual([{ code: 'grouping.pinnedApart', params: { a: 0, b: 1, group: 1 } }]);
	});

	it('grouping.pinnedOverflow, counting together-sets whole', () => {
		const pinned = new Map([
			[0, 2],
			[1, 2],
			[2, 2],
			[3, 2],
			[4, 2]
		]);
		expect(precheck(shape(12, 3), { pinned })).toEqual([{ code: 'grouping.pinnedOverflow', params: { group: 2, count: 5, max: 4 } }]);
		expect(
			precheck(shape(12, 3), {
				pinned: new Map([
					[0, 2],
					[1, 2]
				]),
				together: [[1, 7, 8]]
			})
		).toEqual([]);
		expect(
			precheck(shape(12, 3), {
				pinned: new Map([
					[0, 2],
					[1, 2]
				]),
				together: [
					[1, 7, 8],
					[0, 9]
				]
			})
		).toEqual([{ code: 'grouping.pinnedOverflow', params: { group: 2, count: 5, max: 4 } }]);
	});

	it('grouping.pinnedOutOfRange', () => {
		expect(precheck(shape(12, 3), { pinned: new Map([[4, 3]]) })).toEqual([
			{ code: 'grouping.pinnedOutOfRange', params: { participant: 4, group: 3, groups: 3 } }
		]);
		expect(precheck(shape(12, 3), { pinned: [[4, -1]] })).toMatchObject([{ code: 'grouping.pinnedOutOfRange' }]);
	});

	it('grouping.apartImpossible: more people pairwise apart than groups', () => {
		const apart: [number, number][] = [
			[0, 1],
			[0, 2],
			[0, 3],
			[1, 2],
			[1, 3],
			[2, 3]
		];
		expect(precheck(shape(12, 4), { apart })).toEqual([]);
		expect(precheck(shape(12, 3), { apart })).toEqual([{ code: 'grouping.apartImpossible', params: { size: 4, groups: 3, members: '0,1,2,3' } }]);
		// with 3 and 10 together, a triangle 0–1–(3, 10) plus 2 apart from all: a clique of 4
		const viaTogether: [number, number][] = [
			[0, 1],
			[0, 3],
			[1, 10],
			[2, 0],
			[2, 1],
			[2, 10]
		];
		expect(codes(precheck(shape(12, 3), { apart: viaTogether }))).toEqual([]);
		expect(precheck(shape(12, 3), { apart: viaTogether, together: [[3, 10]] })).toEqual([
			{ code: 'grouping.apartImpossible', params: { size: 4, groups: 3, members: '0,1,2,3' } }
		]);
		// one group: any apart pair is impossible
		expect(codes(precheck(shape(5, 1), { apart: [[0, 1]] }))).toEqual(['grouping.apartImpossible']);
	});

	it('reports every problem found, and rejects indices that do not exist', () => {
		const p = precheck(shape(12, 3), { together: [[0, 1]], apart: [[0, 1]], pinned: new Map([[5, 9]]) }, { facilitators: 1 });
		expect(codes(p).sort()).toEqual(['grouping.fewerFacilitators', 'grouping.pinnedOutOfRange', 'grouping.togetherAndApart']);
		expect(() => precheck(shape(12, 3), { apart: [[0, 12]] })).toThrow(RangeError);
	});

	it('merges together-sets that share a participant', () => {
		expect(mergeTogether(10, [[5, 6], [1, 2], [6, 7], [2, 3, 2], [9]])).toEqual([
			[1, 2, 3],
			[5, 6, 7]
		]);
	});
});
