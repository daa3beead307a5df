import { describe, expect, it } from 'vitest';
import { parseBudgetLines, parseEuros, readEuros } from './money';
import { entrySchema } from './schemas';

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
	it('says an absurd amount is too large, not badly written', () => {
		expect(readEuros('99999999999999999999')).toEqual({ ok: false, reason: 'tooLarge' });
		expect(readEuros('1 000 000 000 000')).toEqual({ ok: false, reason: 'tooLarge' });
		expect(readEuros('999 999 999 999,99')).toEqual({ ok: true, cents: 99_999_999_999_999 });
		expect(readEuros('12,345')).toEqual({ ok: false, reason: 'invalid' });
		expect(parseBudgetLines('AMO ; prestation ; 99999999999999999999')).toEqual({ ok: false, line: 1, key: 'fund.lineAmountTooLarge' });
		const r = entrySchema.safeParse({
			kind: 'commitment',
			envelopeId: '00000000-0000-4000-8000-000000000000',
			experimentId: '00000000-0000-4000-8000-000000000000',
			amount: '99999999999999999999',
			reference: 'x'
		});
		expect(r.success).toBe(false);
		expect(r.error!.issues.find((i) => i.path[0] === 'amount')?.message).toBe('fund.amountTooLarge');
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
