import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key a client address is limited under: an IPv4 address as it is, an IPv6 address by its
 * /64 (one subscriber usually holds a whole /64, and can change the rest at will), an
 * IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) as the IPv4 address it carries. Anything else
 * (no address, a Unix socket) is kept as is, lowercased.
 */
export function addressGroup(address: string): string {
	const ip = address
		.trim()
		.toLowerCase()
		.replace(/^\[|\]$/g, '')
		.replace(/%.*$/, '');
	if (isIPv4(ip)) return ip;
	if (!isIPv6(ip)) return address.trim().toLowerCase();
	const groups = expandIPv6(ip);
	const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
	if (mapped) return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
	return `${groups
		.slice(0, 4)
		.map((g) => g.toString(16))
		.join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` and a trailing dotted IPv4 allowed). */
function expandIPv6(ip: string): number[] {
	let text = ip;
	const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
	if (dotted) {
		const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
		text = text.slice(0, dotted.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}
	const [head, tail] = text.split('::') as [string, string | undefined];
	const parts = (s: string) => (s ? s.split(':').map((h) => parseInt(h, 16)) : []);
	const left = parts(head);
	if (tail === undefined) return left;
	const right = parts(tail);
	return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
