/** French (and a few English) words too common to search for, written without accents. */
const STOP_WORDS = new Set(
	(
		'a ai au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n s t y ete etre avoir est sont ont fait faire plus comme tout tous toute toutes aussi donc ni car or ' +
		'the of and to in is for on with by an be this that'
	).split(' ')
);

export const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export type ParsedQuery = { ok: true; terms: string[] } | { ok: false; reason: 'search.empty' | 'search.onlyStopWords' };

/**
 * Splits what a person typed into search terms: letters and digits only (so no query syntax
 * can be injected), accents folded, stop words dropped, at most 8 terms.
 */
export function parseQuery(q: string): ParsedQuery {
	const words = (fold(q).match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 0);
	if (words.length === 0) return { ok: false, reason: 'search.empty' };
	const terms = [...new Set(words.filter((w) => !STOP_WORDS.has(w) && (w.length > 1 || /\d/.test(w))))].slice(0, 8);
	if (terms.length === 0) return { ok: false, reason: 'search.onlyStopWords' };
	return { ok: true, terms };
}

/** Marks put around matches by the index, replaced by <mark> after escaping. */
export const HIT_START = '\u27e6';
export const HIT_END = '\u27e7';
