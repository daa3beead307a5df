import { describe, expect, it } from 'vitest';
import { authoritySchema, grantDetailsSchema, isSiret } from './opendata';
import { issuesToErrors } from './forms';

describe('SIRET', () => {
	it('accepts 14 digits passing the Luhn check, and La Poste by its own rule', () => {
		// INSEE's own establishment, and a SIRET built to pass (7325 → Luhn).
		expect(isSiret('13002526500013')).toBe(true);
		expect(isSiret('73282932000074')).toBe(true);
		expect(isSiret('35600000000048')).toBe(true);
		expect(isSiret('35600000049837')).toBe(true);
	});
	it('refuses a wrong digit, a wrong length or letters', () => {
		expect(isSiret('13002526500014')).toBe(false);
		expect(isSiret('1300252650001')).toBe(false);
		expect(isSiret('1300252650001A')).toBe(false);
		expect(isSiret('35600000049838')).toBe(false);
	});
	it('tells a malformed SIRET from one failing the check, spaces allowed', () => {
		const errorOf = (siret: string) => {
			const r = authoritySchema.safeParse({ authorityName: 'Région', authoritySiret: siret });
			return r.success ? null : issuesToErrors(r.error.issues).authoritySiret?.key;
		};
		expect(errorOf('123')).toBe('opendata.siretFormat');
		expect(errorOf('1300252650001A')).toBe('opendata.siretFormat');
		expect(errorOf('13002526500014')).toBe('opendata.siretChecksum');
		expect(authoritySchema.parse({ authorityName: 'Région', authoritySiret: '130 025 265 00013' }).authoritySiret).toBe('13002526500013');
	});
});

describe('grant details', () => {
	it('keeps blanks as missing and checks what is typed', () => {
		const empty = grantDetailsSchema.parse({});
		expect(empty).toMatchObject({ beneficiaryName: null, beneficiarySiret: null, beneficiaryRna: null, agreementDate: null, euNotified: false });
		const bad = grantDetailsSchema.safeParse({ beneficiaryRna: 'W12345', agreementDate: '2014-02-30', aidNature: 'chèque' });
		expect(bad.success).toBe(false);
		// What the form shows: one catalogue message per field.
		const errors = bad.success ? {} : issuesToErrors(bad.error.issues);
		expect(errors.beneficiaryRna?.key).toBe('opendata.rnaFormat');
		expect(errors.agreementDate?.key).toBe('opendata.dateFormat');
		expect(errors.aidNature?.key).toBe('form.invalidChoice');
		expect(grantDetailsSchema.parse({ beneficiaryRna: 'w130012345', euNotified: 'on' })).toMatchObject({ beneficiaryRna: 'W130012345', euNotified: true });
	});
});
