import { describe, expect, it } from 'vitest';
import { EMPTY_COUNTS, levelOf, nextStep, parseTerritory } from './network';

describe('the experience ladder', () => {
	const at = (o: Partial<typeof EMPTY_COUNTS>) => levelOf({ ...EMPTY_COUNTS, ...o }).level;
	it('starts everyone as observer', () => expect(at({})).toBe('observer'));
	it('makes a co-facilitator of a co-facilitation or a training', () => {
		expect(at({ coFacilitated: 1 })).toBe('co_facilitator');
		expect(at({ trainingsCompleted: 1 })).toBe('co_facilitator');
	});
	it('makes a facilitator of a facilitation after a training, or of three', () => {
		expect(at({ facilitated: 1 })).toBe('co_facilitator');
		expect(at({ facilitated: 1, trainingsCompleted: 1 })).toBe('facilitator');
		expect(at({ facilitated: 3 })).toBe('facilitator');
	});
	it('makes a trainer of a training given, or five facilitations after a training', () => {
		expect(at({ trainingsGiven: 1 })).toBe('trainer');
		expect(at({ facilitated: 5 })).toBe('facilitator');
		expect(at({ facilitated: 5, trainingsCompleted: 1 })).toBe('trainer');
	});
	it('says what the next rung takes', () => {
		expect(nextStep({ ...EMPTY_COUNTS })).toBe('network.next.coFacilitator');
		expect(nextStep({ ...EMPTY_COUNTS, trainingsGiven: 1 })).toBeNull();
	});
});

describe('parseTerritory', () => {
	it('reads codes, names with or without accents, and the region', () => {
		expect(parseTerritory('13')).toBe('13');
		expect(parseTerritory('Bouches-du-Rhône')).toBe('13');
		expect(parseTerritory('bouches du rhone')).toBe('13');
		expect(parseTerritory('Région')).toBe('region');
		expect(parseTerritory('Gironde')).toBeNull();
		expect(parseTerritory('')).toBeNull();
	});
});
