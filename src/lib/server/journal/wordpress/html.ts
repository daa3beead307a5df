/**
 * WordPress content (classic paragraphs, Gutenberg blocks, shortcodes) → the journal's markdown,
 * and plain-text excerpts.
 */
import { parseDocument } from 'htmlparser2';

export interface ImageRef {
	src: string;
	alt: string;
	/** From WordPress's `wp-image-<id>` class, or the gallery. */
	attachmentId: string | null;
}

export interface ConvertOptions {
	/** The address of a stored copy of an image, or null (an http image then becomes a link). */
	image?: (img: ImageRef) => string | null;
	/** The images of a [gallery]: those of `ids`, or the post's own attachments when empty. */
	gallery?: (ids: string[]) => ImageRef[];
	/** Rewrites a link (the old blog's addresses → the journal's). */
	link?: (href: string) => string;
	/** The old blog's address, against which relative links are read. */
	base?: string;
}

/** Shortcodes: captions and embeds become HTML, galleries a placeholder, the others go (keeping what they wrap). */
export function expandShortcodes(html: string): string {
	let s = html.replace(/\[\[([a-z][\w-]*[^\]]*)\]\]/gi, '&#91;$1&#93;');
	s = s.replace(/\[caption\b([^\]]*)\]([\s\S]*?)\[\/caption\]/gi, (_, attrs: string, inner: string) => {
		const m = /^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?)([\s\S]*)$/i.exec(inner);
		const img = m ? m[1]! : '';
		const attr = /\bcaption\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(attrs);
		const text = (m ? m[2]! : inner).trim() || (attr ? (attr[1] ?? attr[2] ?? '') : '');
		return `<figure>${img}${text ? `<figcaption>${text}</figcaption>` : ''}</figure>`;
	});
	s = s.replace(/\[embed\b[^\]]*\]([\s\S]*?)\[\/embed\]/gi, (_, url: string) => {
		const u = url.trim();
		return /^https?:\/\/\S+$/i.test(u) ? `<p><a href="${u}">${u}</a></p>` : '';
	});
	s = s.replace(/\[gallery\b([^\]]*)\]/gi, (_, attrs: string) => {
		const ids = /\bids\s*=\s*["']?([\d,\s]+)/i.exec(attrs)?.[1] ?? '';
		return `<wxr-gallery ids="${ids.replace(/\s/g, '')}"></wxr-gallery>`;
	});
	// Paired shortcodes, innermost first: [x …]text[/x] → text.
	for (let i = 0; i < 20; i++) {
		const next = s.replace(/\[([a-z][\w-]*)(?:\s[^\]]*)?\]((?:(?!\[\1[\s\]])[\s\S])*?)\[\/\1\]/gi, '$2');
		if (next === s) break;
		s = next;
	}
	// Self-closing [x /], and unpaired ones with attributes [x id="3"]; then stray closing tags.
	s = s.replace(/\[[a-z][\w-]*(?:\s[^\]]*)?\/\]/gi, '');
	s = s.replace(/\[[a-z][\w-]*\s+[\w-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s\]]+)[^\]]*\]/gi, '');
	s = s.replace(/\[\/[a-z][\w-]*\]/gi, '');
	// A URL alone on its line is an embed in WordPress: a link here.
	s = s.replace(/^[ \t]*(https?:\/\/[^\s<>"'\]]+)[ \t]*$/gim, '<p><a href="$1">$1</a></p>');
	return s;
}

const BLOCK_START =
	/^\s*<\/?(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tfoot|tr|td|th|figure|figcaption|hr|section|article|aside|header|footer|dl|dt|dd|address|iframe|video|audio|form|wxr-gallery|!--)[\s>/]/i;
const BLOCK_END =
	/<\/?(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tfoot|tr|td|th|figure|figcaption|section|article|aside|header|footer|dl|dt|dd|address|iframe|video|audio|form|wxr-gallery)\b[^>]*>\s*$|<hr\b[^>]*>\s*$|-->\s*$/i;

/**
 * WordPress's "autop" for classic content (blank lines are paragraphs, single newlines line
 * breaks); block-editor content is already marked up and kept as it is.
 */
export function autop(html: string): string {
	if (/<!--\s*\/?wp:/.test(html)) return html;
	const pres: string[] = [];
	const protectedHtml = html.replace(/\r\n?/g, '\n').replace(/<pre\b[\s\S]*?<\/pre>/gi, (m) => `\u0000${pres.push(m) - 1}\u0000`);
	const chunks = protectedHtml
		.split(/\n[ \t]*\n/)
		.map((c) => c.trim())
		.filter(Boolean);
	const out = chunks.map((chunk) => {
		const lines = chunk.split('\n');
		let joined = lines[0]!;
		for (let i = 1; i < lines.length; i++) joined += BLOCK_END.test(lines[i - 1]!) || BLOCK_START.test(lines[i]!) ? '\n' + lines[i] : '<br />\n' + lines[i];
		// NUL-delimited markers stand for the <pre> blocks set aside above (never in real text).
		// eslint-disable-next-line no-control-regex
		return BLOCK_START.test(chunk) || /^\u0000\d+\u0000$/.test(chunk) ? joined : `<p>${joined}</p>`;
	});
	// eslint-disable-next-line no-control-regex
	return out.join('\n\n').replace(/\u0000(\d+)\u0000/g, (_, i: string) => pres[Number(i)]!);
}

interface HNode {
	type: string;
	name?: string;
	attribs?: Record<string, string>;
	children?: HNode[];
	data?: string;
}

const CONTAINERS = new Set([
	'p',
	'div',
	'section',
	'article',
	'header',
	'footer',
	'main',
	'aside',
	'center',
	'address',
	'figure',
	'details',
	'summary',
	'dl',
	'dd',
	'dt',
	'nav',
	'li',
	'body',
	'html',
	'tbody',
	'thead'
]);
const BLOCKS = new Set([
	...CONTAINERS,
	'h1',
	'h2',
	'h3',
	'h4',
	'h5',
	'h6',
	'figcaption',
	'ul',
	'ol',
	'blockquote',
	'pre',
	'hr',
	'table',
	'wxr-gallery',
	'iframe',
	'video',
	'audio',
	'embed',
	'object'
]);
const DROP = new Set([
	'script',
	'style',
	'noscript',
	'template',
	'form',
	'button',
	'input',
	'select',
	'textarea',
	'head',
	'title',
	'meta',
	'link',
	'svg',
	'canvas',
	'map'
]);

const URL_IN_TEXT = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g;

/** Escapes markdown in text, leaving bare URLs alone (they are autolinked as they are). */
function escapeText(s: string): string {
	let out = '';
	let last = 0;
	for (const m of s.matchAll(URL_IN_TEXT)) {
		out += escapePlain(s.slice(last, m.index)) + m[0];
		last = m.index! + m[0].length;
	}
	return out + escapePlain(s.slice(last));
}
const escapePlain = (s: string) => s.replace(/[\\`*_[\]<>~]/g, '\\$&').replace(/&(?=#?[a-z0-9]+;)/gi, '\\&');

/** Line starts that markdown would read as structure: headings, quotes, lists, rules. */
function escapeLineStarts(s: string): string {
	return s
		.split('\n')
		.map((l) =>
			l
				.replace(/^(#{1,6})(?=\s|$)/, '\\$1')
				.replace(/^([-+*])(?=\s)/, '\\$1')
				.replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
				.replace(/^(=+|-+)\s*$/, (m) => '\\' + m)
		)
		.join('\n');
}

const escapeUrl = (u: string) => u.replace(/[ ()<>]/g, (c) => encodeURIComponent(c));
const escapeAlt = (s: string) => s.replace(/[\\[\]]/g, '\\$&');

function textOf(n: HNode): string {
	if (n.type === 'text') return n.data ?? '';
	if (n.type === 'tag' && n.name === 'br') return '\n';
	return (n.children ?? []).map(textOf).join('');
}

const isTag = (n: HNode, ...names: string[]) => (n.type === 'tag' || n.type === 'script' || n.type === 'style') && names.includes(n.name ?? '');

class Converter {
	constructor(private readonly o: ConvertOptions) {}

	blocks(nodes: HNode[]): string[] {
		const out: string[] = [];
		let run: HNode[] = [];
		const flush = () => {
			const p = this.paragraph(this.inline(run));
			if (p) out.push(p);
			run = [];
		};
		for (const n of nodes) {
			if (n.type === 'comment' || n.type === 'directive' || n.type === 'cdata') continue;
			if (n.type !== 'text' && DROP.has(n.name ?? '')) continue;
			if (n.type === 'tag' && BLOCKS.has(n.name!)) {
				flush();
				out.push(...this.block(n));
				continue;
			}
			run.push(n);
		}
		flush();
		return out.filter((b) => b.trim() !== '');
	}

	private paragraph(s: string): string {
		const lines = s
			.replace(/[ \t]+/g, ' ')
			.split('\n')
			.map((l) => l.trim());
		let text = lines.join('\n').replace(/^(?:\\\n)+|(?:\\\n)+$/g, '');
		text = text.replace(/(\\\n){2,}/g, '\\\n').trim();
		return text ? escapeLineStarts(text) : '';
	}

	private block(n: HNode): string[] {
		const name = n.name!;
		const kids = n.children ?? [];
		if (CONTAINERS.has(name)) return this.blocks(kids);
		switch (name) {
			case 'h1':
			case 'h2':
			case 'h3':
			case 'h4':
			case 'h5':
			case 'h6': {
				const level = Math.min(4, Math.max(2, Number(name[1])));
				const t = this.inline(kids).replace(/\\?\n/g, ' ').replace(/\s+/g, ' ').trim();
				return t ? [`${'#'.repeat(level)} ${t}`] : [];
			}
			case 'figcaption': {
				const t = this.inline(kids).replace(/\\?\n/g, ' ').replace(/\s+/g, ' ').trim();
				return t ? [`*${t}*`] : [];
			}
			case 'ul':
			case 'ol':
				return [this.list(n)];
			case 'blockquote': {
				const inner = this.blocks(kids).join('\n\n');
				return inner
					? [
							inner
								.split('\n')
								.map((l) => (l ? `> ${l}` : '>'))
								.join('\n')
						]
					: [];
			}
			case 'pre': {
				const code = textOf(n).replace(/^\n/, '').replace(/\s+$/, '');
				if (!code) return [];
				let fence = '```';
				while (code.includes(fence)) fence += '`';
				return [`${fence}\n${code}\n${fence}`];
			}
			case 'hr':
				return ['---'];
			case 'table':
				return [this.table(n)];
			case 'wxr-gallery': {
				const ids = (n.attribs?.ids ?? '').split(',').filter((x) => /^\d+$/.test(x));
				const imgs = (this.o.gallery?.(ids) ?? []).map((img) => this.image(img)).filter(Boolean);
				return imgs.length ? [imgs.map((i) => `- ${i}`).join('\n')] : [];
			}
			default: {
				// iframe, video, audio, embed, object: a link to what they showed.
				const src = n.attribs?.src ?? n.attribs?.data ?? kids.find((k) => isTag(k, 'source'))?.attribs?.src ?? '';
				const href = this.href(src);
				return href ? [`[${escapeText(href)}](${escapeUrl(href)})`] : [];
			}
		}
	}

	private list(n: HNode): string {
		const ordered = n.name === 'ol';
		let i = Number(n.attribs?.start) || 1;
		const items: string[] = [];
		for (const li of n.children ?? []) {
			if (li.type !== 'tag') continue;
			if (li.name === 'ul' || li.name === 'ol') {
				// A list directly inside a list (invalid, frequent): it belongs to the item before.
				const nested = this.list(li);
				if (items.length) items[items.length - 1] += '\n' + nested.replace(/^(?=.)/gm, ordered ? '   ' : '  ');
				else items.push(nested);
				continue;
			}
			const marker = ordered ? `${i++}. ` : '- ';
			const blocks = li.name === 'li' ? this.blocks(li.children ?? []) : this.blocks([li]);
			let body = '';
			blocks.forEach((b, k) => {
				body += k === 0 ? b : (/^(?:[-*+]|\d+\.) /.test(b) ? '\n' : '\n\n') + b;
			});
			const pad = ' '.repeat(marker.length);
			items.push(
				marker +
					body
						.split('\n')
						.map((l, k) => (k === 0 || l === '' ? l : pad + l))
						.join('\n')
			);
		}
		return items.join('\n');
	}

	private table(n: HNode): string {
		const rows: string[][] = [];
		const walk = (x: HNode) => {
			for (const c of x.children ?? []) {
				if (isTag(c, 'tr'))
					rows.push(
						(c.children ?? [])
							.filter((d) => isTag(d, 'td', 'th'))
							.map((d) =>
								this.inline(d.children ?? [])
									.replace(/\\?\n/g, ' ')
									.replace(/\|/g, '\\|')
									.replace(/\s+/g, ' ')
									.trim()
							)
					);
				else if (isTag(c, 'thead', 'tbody', 'tfoot')) walk(c);
			}
		};
		walk(n);
		const width = Math.max(0, ...rows.map((r) => r.length));
		if (!width) return '';
		const line = (r: string[]) => `| ${Array.from({ length: width }, (_, k) => r[k] ?? '').join(' | ')} |`;
		return [line(rows[0]!), `| ${Array.from({ length: width }, () => '---').join(' | ')} |`, ...rows.slice(1).map(line)].join('\n');
	}

	inline(nodes: HNode[]): string {
		let out = '';
		for (const n of nodes) out += this.inlineNode(n);
		return out;
	}

	private inlineNode(n: HNode): string {
		if (n.type === 'text') return escapeText((n.data ?? '').replace(/[ \t\n\r\f]+/g, ' '));
		if (n.type !== 'tag') return '';
		const name = n.name!;
		const kids = n.children ?? [];
		if (DROP.has(name)) return '';
		switch (name) {
			case 'br':
				return '\\\n';
			case 'strong':
			case 'b':
				return wrap('**', this.inline(kids));
			case 'em':
			case 'i':
			case 'cite':
			case 'dfn':
				return wrap('*', this.inline(kids));
			case 'del':
			case 's':
			case 'strike':
				return wrap('~~', this.inline(kids));
			case 'code':
			case 'kbd':
			case 'samp':
			case 'tt': {
				const code = textOf(n).replace(/\s+/g, ' ');
				if (!code.trim()) return code;
				const ticks = code.includes('`') ? '``' : '`';
				return `${ticks}${ticks.length > 1 ? ' ' : ''}${code}${ticks.length > 1 ? ' ' : ''}${ticks}`;
			}
			case 'img':
				return this.image({
					src: (n.attribs?.src ?? n.attribs?.['data-src'] ?? '').trim(),
					alt: (n.attribs?.alt ?? n.attribs?.title ?? '').replace(/\s+/g, ' ').trim(),
					attachmentId: /(?:^|\s)wp-image-(\d+)(?:\s|$)/.exec(n.attribs?.class ?? '')?.[1] ?? null
				});
			case 'a': {
				// A link around an image (to its large version): the image alone.
				const meaningful = kids.filter((k) => !(k.type === 'text' && !(k.data ?? '').trim()));
				if (meaningful.length && meaningful.every((k) => isTag(k, 'img'))) return this.inline(kids);
				const text = this.inline(kids).replace(/\\\n/g, ' ');
				const href = this.href(n.attribs?.href ?? '');
				if (!text.trim()) return '';
				if (!href) return text;
				const lead = /^\s*/.exec(text)![0];
				const trail = /\s*$/.exec(text)![0];
				return `${lead}[${text.trim()}](${escapeUrl(href)})${trail}`;
			}
			case 'iframe':
			case 'video':
			case 'audio':
			case 'embed':
			case 'object':
				return ` ${this.block(n).join(' ')} `;
			default:
				if (BLOCKS.has(name)) return ` ${this.inline(kids)} `;
				return this.inline(kids);
		}
	}

	private image(img: ImageRef): string {
		const local = this.o.image?.(img) ?? null;
		const alt = escapeAlt(img.alt);
		if (local) return `![${alt}](${escapeUrl(local)})`;
		if (/^data:/i.test(img.src)) return img.alt ? escapeText(`(Image : ${img.alt})`) : '';
		const href = this.href(img.src, false);
		if (!href || !/^https?:/i.test(href)) return img.alt ? escapeText(`(Image : ${img.alt})`) : '';
		const label = img.alt || decodeSafe(href.split(/[?#]/)[0]!.split('/').pop() ?? '') || 'image';
		return `[Image : ${escapeAlt(label).replace(/[*_`<>~]/g, '\\$&')}](${escapeUrl(href)})`;
	}

	/** An address to link to, or null: made absolute against the old blog, rewritten, and only http(s), mailto or a path. */
	private href(raw: string, rewrite = true): string | null {
		let h = raw.trim();
		if (!h || h.startsWith('#') || /^(?:javascript|data|vbscript|file):/i.test(h)) return null;
		if (!/^[a-z][a-z0-9+.-]*:/i.test(h) && this.o.base) {
			try {
				h = new URL(h, this.o.base).href;
			} catch {
				return null;
			}
		}
		if (rewrite && this.o.link) h = this.o.link(h);
		if (/^(?:https?:\/\/|mailto:)/i.test(h) || (h.startsWith('/') && !h.startsWith('//'))) return h;
		return null;
	}
}

function wrap(marker: string, inner: string): string {
	if (!inner.trim()) return inner;
	const lead = /^\s*/.exec(inner)![0];
	const trail = /\s*$/.exec(inner)![0];
	return `${lead}${marker}${inner.trim()}${marker}${trail}`;
}

export function decodeSafe(s: string): string {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

/** WordPress content (classic or block editor, with shortcodes) → the journal's markdown. */
export function htmlToMarkdown(html: string, opts: ConvertOptions = {}): string {
	if (!html.trim()) return '';
	const prepared = autop(expandShortcodes(html));
	const doc = parseDocument(prepared, { decodeEntities: true }) as unknown as HNode;
	const md = new Converter(opts).blocks(doc.children ?? []).join('\n\n');
	return md
		.split('\n')
		.map((l) => l.replace(/[ \t]+$/, ''))
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

/** Plain text of an HTML fragment (an excerpt), on one line. */
export function htmlToText(html: string, max = 500): string {
	if (!html.trim()) return '';
	const doc = parseDocument(expandShortcodes(html), { decodeEntities: true }) as unknown as HNode;
	const t = textOf(doc).replace(/\s+/g, ' ').trim();
	return t.length > max ? t.slice(0, max - 1).trimEnd() + '…' : t;
}

// ——— Images ———

/** The bytes of a `data:` URI, or null when it is not one (or not base64/URL-encoded data). */
export function decodeDataUri(uri: string): Buffer | null {
	const m = /^data:([\w.+-]+\/[\w.+-]+)?((?:;[\w-]+=[^;,]*)*)(;base64)?,([\s\S]*)$/i.exec(uri.trim());
	if (!m) return null;
	try {
		return m[3] ? Buffer.from(m[4]!.replace(/\s+/g, ''), 'base64') : Buffer.from(decodeURIComponent(m[4]!), 'utf8');
	} catch {
		return null;
	}
}
