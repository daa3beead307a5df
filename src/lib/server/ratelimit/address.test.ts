import { describe, expect, it } from 'vitest';
import { addressGroup } from './address';

describe('addressGroup', () => {
	it('keeps an IPv4 address as it is', () => {
		expect(addressGroup('192.0.2.17')).toBe('192.0.2.17');
		expect(addressGroup(' 10.0.0.1 ')).toBe('10.0.0.1');
	});

	it('groups IPv6 addresses by their /64, written in full or compressed', () => {
		const full = addressGroup('2001:0db8:0000:0001:0000:0000:0000:0001');
		expect(full).toBe('2001:db8:0:1::/64');
		expect(addressGroup('2001:db8:0:1::1')).toBe(full);
		expect(addressGroup('2001:DB8:0:1:ffff:abcd:1234:5678')).toBe(full);
		expect(addressGroup('[2001:db8:0:1::42]')).toBe(full);
		expect(addressGroup('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
		expect(addressGroup('2001:db8:0:2::1')).not.toBe(full);
		expect(addressGroup('::1')).toBe('0:0:0:0::/64');
		expect(addressGroup('2001:db8::')).toBe('2001:db8:0:0::/64');
	});

	it('treats an IPv4-mapped IPv6 address as its IPv4 address', () => {
		expect(addressGroup('::ffff:192.0.2.17')).toBe('192.0.2.17');
		expect(addressGroup('::FFFF:c000:0211')).toBe('192.0.2.17');
		expect(addressGroup('0:0:0:0:0:ffff:192.0.2.17')).toBe('192.0.2.17');
	});

	it('keeps what is not an address', () => {
		expect(addressGroup('unknown')).toBe('unknown');
		expect(addressGroup('')).toBe('');
	});
});
