import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('toCsv', () => {
	it('writes French-Excel CSV with quoting and no formulas', () => {
		expect(
			toCsv(
				['titre', 'statut'],
				[
					['Lycée "Claret"', 'en cours'],
					['=HYPERLINK("x")', null]
				]
			)
		).toBe('\ufeff"titre";"statut"\r\n"Lycée ""Claret""";"en cours"\r\n"\'=HYPERLINK(""x"")";""\r\n');
	});
});
