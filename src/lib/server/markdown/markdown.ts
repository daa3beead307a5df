import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

const marked = new Marked({ gfm: true, breaks: false });

/** Inline references: [[Title]] or [[type:id]]. */
export const REF_RE = /\[\[([^\]\n]{1,200})\]\]/g;

export interface Ref {
	raw: string;
	type: string | null;
	id: string | null;
	title: string | null;
}

const JOURNAL_IMAGE = /^\/l\/[a-z0-9-]+\/journal\/images\/[0-9a-f-]{36}$/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseRefs(text: string): Ref[] {
	return [...text.matchAll(REF_RE)].map((m) => {
		const inner = m[1]!.trim();
		const typed = /^(knowledge|event|experiment|post):(.+)$/.exec(inner);
		if (typed && UUID.test(typed[2]!.trim())) return { raw: m[0], type: typed[1]!, id: typed[2]!.trim().toLowerCase(), title: null };
		return { raw: m[0], type: null, id: null, title: inner };
	});
}

/**
 * Markdown → safe HTML. `resolve` turns an inline reference into a link target (or null for
 * plain text). Everything goes through sanitize-html: no script, no inline handler, no style.
 */
export function renderMarkdown(
	text: string,
	resolve: (ref: Ref) => { href: string; label: string } | null = () => null,
	opts: { images?: boolean } = {}
): string {
	const refs = new Map(parseRefs(text).map((r) => [r.raw, r]));
	const withLinks = text.replace(REF_RE, (raw) => {
		const ref = refs.get(raw)!;
		const target = resolve(ref);
		const label = (target?.label ?? ref.title ?? raw).replace(/[[\]\\*_`<>]/g, (c) => '\\' + c);
		return target ? `[${label}](${target.href})` : label;
	});
	const html = marked.parse(withLinks, { async: false });
	return sanitizeHtml(html, {
		allowedTags: [
			'h1',
			'h2',
			'h3',
			'h4',
			'p',
			'br',
			'hr',
			'ul',
			'ol',
			'li',
			'blockquote',
			'pre',
			'code',
			'em',
			'strong',
			'del',
			'a',
			'table',
			'thead',
			'tbody',
			'tr',
			'th',
			'td',
			'mark',
			...(opts.images ? ['img'] : [])
		],
		allowedAttributes: { a: ['href', 'title'], ...(opts.images ? { img: ['src', 'alt', 'title', 'loading'] } : {}) },
		// Journal images are the lab's own, served by the app; nothing else is loaded.
		exclusiveFilter: (frame) => frame.tag === 'img' && !JOURNAL_IMAGE.test(frame.attribs.src ?? ''),
		allowedSchemes: ['http', 'https', 'mailto'],
		allowProtocolRelative: false,
		transformTags: {
			img: (tag, attribs) => ({ tagName: 'img', attribs: { ...attribs, loading: 'lazy' } }),
			a: (tag, attribs) => ({ tagName: 'a', attribs: { ...attribs, ...(attribs.href?.startsWith('/') ? {} : { rel: 'noopener noreferrer nofollow' }) } })
		}
	});
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/**
 * Markdown → plain text, for the search index and its snippets: no `**`, `##` or `[[…]]` left;
 * a reference keeps its title (a typed one, `[[type:id]]`, says nothing readable and is dropped);
 * blocks are separated by a line break.
 */
export function markdownToText(text: string): string {
	const withRefs = text.replace(REF_RE, (raw) => {
		const ref = parseRefs(raw)[0]!;
		return ref.title ? ref.title.replace(/[[\]\\*_`<>]/g, (c) => '\\' + c) : '';
	});
	const html = marked.parse(withRefs, { async: false }).replace(/<\/(p|h[1-6]|li|blockquote|pre|tr|th|td)>|<br\s*\/?>|<hr\s*\/?>/g, '$&\n');
	const plain = sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} });
	return plain
		.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
			if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
			return ENTITIES[e.toLowerCase()] ?? whole;
		})
		.replace(/[ \t]+/g, ' ')
		.replace(/ *\n[\s]*/g, '\n')
		.trim();
}
