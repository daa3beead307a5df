import { describe, expect, it } from 'vitest';
import { parseBudgetLines, parseEuros } from './money';

describe('euros', () => {
	it('reads French and plain amounts into cents', () => {
		expect(parseEuros('12 500,50')).toBe(1_250_050);
		expect(parseEuros('12\u202f500,5 €')).toBe(1_250_050);
		expect(parseEuros('1000')).toBe(100_000);
		expect(parseEuros('0,07')).toBe(7);
	});
	it('refuses negative, non-numeric and over-precise amounts', () => {
		for (const bad of ['-5', 'abc', '12,345', '1e5', '', '1,2,3']) expect(parseEuros(bad), bad).toBeNull();
	});
	it('reads budget lines and points at a bad one', () => {
		expect(parseBudgetLines('AMO ; prestation ; 15 000\nDéplacements ; frais ; 800,50')).toEqual({
			ok: true,
			rows: [
				{ label: 'AMO', category: 'prestation', amountCents: 1_500_000 },
				{ label: 'Déplacements', category: 'frais', amountCents: 80_050 }
			]
		});
		expect(parseBudgetLines('AMO ; prestation ; 15 000\nX ; y ; -3')).toEqual({ ok: false, line: 2, key: 'fund.badLineAmount' });
	});
});
