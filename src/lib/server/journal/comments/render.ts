/** Comments' markdown → safe HTML (a small subset, links marked nofollow), cached by content. */
import { Marked, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Link targets kept in comments: web and mail addresses, and paths on this site. */
const SAFE_HREF = /^(https?:\/\/|mailto:|\/(?!\/)|#)/i;

const off = () => undefined;
const commentMarked = new Marked({ gfm: true, breaks: true });
commentMarked.use({
	// Not in comments: headings, rules, lists, tables, indented code, strikethrough.
	tokenizer: { heading: off, lheading: off, hr: off, list: off, table: off, code: off, del: off },
	renderer: {
		// Raw HTML is dropped, not escaped (its text between tags stays).
		html: () => '',
		image: ({ text }: Tokens.Image) => escapeHtml(text),
		link(token: Tokens.Link) {
			const label = this.parser.parseInline(token.tokens);
			const href = token.href.trim();
			return SAFE_HREF.test(href) ? `<a href="${escapeHtml(href)}">${label}</a>` : label;
		}
	}
});

const SANITIZE: sanitizeHtml.IOptions = {
	allowedTags: ['p', 'br', 'em', 'strong', 'code', 'pre', 'a', 'blockquote'],
	allowedAttributes: { a: ['href', 'rel'] },
	allowedSchemes: ['http', 'https', 'mailto'],
	allowedSchemesAppliedToAttributes: ['href'],
	allowProtocolRelative: false,
	disallowedTagsMode: 'discard',
	transformTags: {
		a: (_tag, attribs) => ({ tagName: 'a', attribs: { ...(attribs.href ? { href: attribs.href } : {}), rel: 'nofollow ugc noopener' } })
	}
};

/**
 * A comment's text → safe HTML: paragraphs, line breaks, emphasis, strong, code, links
 * (rel="nofollow ugc noopener") and quotes; everything else is shown as text or dropped, then
 * the result goes through sanitize-html with that allow-list.
 */
export function renderComment(body: string): string {
	const hit = rendered.get(body);
	if (hit !== undefined) return hit;
	const html = sanitizeHtml(commentMarked.parse(body, { async: false }), SANITIZE);
	// A bounded memory of recent renderings: a busy post is not re-rendered on every visit.
	if (rendered.size >= RENDER_CACHE) rendered.delete(rendered.keys().next().value!);
	rendered.set(body, html);
	return html;
}
const RENDER_CACHE = 5000;
const rendered = new Map<string, string>();

/** Links in a text: those the renderer would make, or written addresses, whichever is more. */
export function countLinks(body: string): number {
	const rendered = (renderComment(body).match(/<a\s/g) ?? []).length;
	const written = (body.match(/\bhttps?:\/\/|\bwww\./gi) ?? []).length;
	return Math.max(rendered, written);
}
