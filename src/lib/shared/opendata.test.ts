import { describe, expect, it } from 'vitest';
import { authoritySchema, grantDetailsSchema, isSiret } from './opendata';

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
		const bad = authoritySchema.safeParse({ authorityName: 'Région', authoritySiret: '123' });
		expect(bad.success ? null : bad.error.issues[0]!.message).toBe('opendata.siretFormat');
		const luhn = authoritySchema.safeParse({ authorityName: 'Région', authoritySiret: '13002526500014' });
		expect(luhn.success ? null : luhn.error.issues[0]!.message).toBe('opendata.siretChecksum');
		expect(authoritySchema.parse({ authorityName: 'Région', authoritySiret: '130 025 265 00013' }).authoritySiret).toBe('13002526500013');
	});
});

describe('grant details', () => {
	it('keeps blanks as missing and checks what is typed', () => {
		const empty = grantDetailsSchema.parse({});
		expect(empty).toMatchObject({ beneficiaryName: null, beneficiarySiret: null, beneficiaryRna: null, agreementDate: null, euNotified: false });
		const bad = grantDetailsSchema.safeParse({ beneficiaryRna: 'W12345', agreementDate: '2014-02-30', aidNature: 'chèque' });
		expect(bad.success).toBe(false);
		const fields = bad.success ? [] : bad.error.issues.map((i) => `${String(i.path[0])}:${i.message}`);
		expect(fields).toContain('beneficiaryRna:opendata.rnaFormat');
		expect(fields).toContain('agreementDate:opendata.dateFormat');
		expect(fields.some((f) => f.startsWith('aidNature:'))).toBe(true);
		expect(grantDetailsSchema.parse({ beneficiaryRna: 'w130012345', euNotified: 'on' })).toMatchObject({ beneficiaryRna: 'W130012345', euNotified: true });
	});
});
