import { describe, expect, it } from 'vitest';
import { displayTitle, stripSeriesPrefix } from './journal';

describe('post titles', () => {
	it('drop a typed "<series> <episode> :" that the journal puts before the title anyway', () => {
		expect(stripSeriesPrefix('Semaine 10.1 : Bilan', 'Semaine', '10.1')).toBe('Bilan');
		expect(stripSeriesPrefix('semaine 10.1 — Bilan', 'Semaine', '10.1')).toBe('Bilan');
		expect(stripSeriesPrefix('Semaine 10.1 : Semaine 10.1 : Bilan', 'Semaine', '10.1')).toBe('Bilan');
		expect(displayTitle({ series: 'Semaine', episode: '10.1', title: stripSeriesPrefix('Semaine 10.1 : Bilan', 'Semaine', '10.1') })).toBe(
			'Semaine 10.1 : Bilan'
		);
	});
	it('keep the title when it does not repeat them', () => {
		expect(stripSeriesPrefix('Semaine 10.1 : Bilan', 'Semaine', '10.2')).toBe('Semaine 10.1 : Bilan');
		expect(stripSeriesPrefix('Semaine 10.1 : Bilan', '', '')).toBe('Semaine 10.1 : Bilan');
		expect(stripSeriesPrefix('Semaine 10.10 : Bilan', 'Semaine', '10.1')).toBe('Semaine 10.10 : Bilan');
		expect(stripSeriesPrefix('Semaine 10.1 :', 'Semaine', '10.1')).toBe('Semaine 10.1 :');
	});
});
