/**
 * Pages reached through a secret in their address (a token in the path): their address must
 * never leave in a Referer header, not even to the lab's own site (a shared proxy log, an
 * analytics tag, a link in a post). They get `Referrer-Policy: no-referrer`; every other page
 * keeps the global `same-origin`.
 */
export const TOKEN_PAGES: readonly RegExp[] = [
	/^\/password\/reset\/[^/]+\/?$/,
	/^\/invitation\/[^/]+\/?$/,
	/^\/l\/[^/]+\/journal\/preview\/[^/]+\/?$/,
	/^\/l\/[^/]+\/journal\/erase\/[^/]+\/?$/,
	/^\/l\/[^/]+\/g\/[^/]+\/?$/,
	/^\/l\/[^/]+\/network\/(?:join|answer)\/[^/]+\/?$/,
	/^\/l\/[^/]+\/network\/me\/[^/]+(?:\/data\.json)?\/?$/
];

export function referrerPolicyFor(pathname: string): 'no-referrer' | 'same-origin' {
	return TOKEN_PAGES.some((re) => re.test(pathname)) ? 'no-referrer' : 'same-origin';
}
