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
		allowedTags: ['h1', 'h2', 'h3', 'h4', 'p', 'br', 'hr', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'em', 'strong', 'del', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'mark', ...(opts.images ? ['img'] : [])],
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
