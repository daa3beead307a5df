import { describe, expect, it } from 'vitest';
import { safeLocalPath } from './paths';

describe('safeLocalPath', () => {
	it.each(['/l/paca', '/l/paca/experiments?status=idee#liste', '/journal/semaine%207'])('keeps the local path %s', (p) => {
		expect(safeLocalPath(p)).toBe(p);
	});

	it.each([
		'//evil.example',
		'///evil.example',
		'/\\evil.example',
		'/\t/evil.example',
		'/\n/evil.example',
		'\\\\evil.example',
		'javascript:alert(1)',
		'JaVaScRiPt:alert(1)',
		'https://evil.example',
		'http:/evil.example',
		'%2F%2Fevil.example',
		'/%2F/evil.example',
		'/%5Cevil.example',
		'/%09/evil.example',
		' /l/paca',
		'',
		null,
		undefined
	])('refuses %j', (p) => {
		expect(safeLocalPath(p)).toBeNull();
	});
});
