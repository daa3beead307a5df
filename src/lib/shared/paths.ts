/**
 * Where a `next` or `redirectTo` may send someone: only a path of this site. Browsers forgive a
 * lot (`/\evil.example`, `/\t/evil.example`, `//evil.example` all leave the site), so the value
 * is parsed the way a browser would, against a placeholder origin, and kept only when it stays
 * there; control characters and backslashes are refused outright, decoded once as well.
 */
const PLACEHOLDER = 'http://labo.invalid';

export function safeLocalPath(value: string | null | undefined): string | null {
	if (!value || value.length > 2000 || !value.startsWith('/')) return null;
	let decoded = value;
	try {
		decoded = decodeURIComponent(value);
	} catch {
		return null;
	}
	for (const v of [value, decoded]) {
		// eslint-disable-next-line no-control-regex
		if (/[\u0000-\u001f\u007f\\]/.test(v) || v.startsWith('//')) return null;
	}
	let url: URL;
	try {
		url = new URL(value, PLACEHOLDER);
	} catch {
		return null;
	}
	if (url.origin !== PLACEHOLDER) return null;
	return url.pathname + url.search + url.hash;
}
