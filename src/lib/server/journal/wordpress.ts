/**
 * Importing a WordPress blog (an export file, WXR 1.1 or 1.2) into the journal.
 *
 * `parseWxr` reads the whole file with a streaming XML parser: a truncated or malformed file
 * stops it with the line and column of the fault. `htmlToMarkdown` turns WordPress content
 * (classic paragraphs, Gutenberg blocks, shortcodes) into the journal's markdown. `importWxr`
 * writes posts, pages, authors, tags, comments, images and redirects from the old addresses
 * in ONE transaction, keyed by `source_ref` = `wp:<id>`: importing the same file again
 * changes nothing. Images are converted (WebP, 1600 px at most) before the transaction, so a
 * long import does not hold the database while it works on pictures.
 *
 * Commenters' e-mail addresses are read (WordPress exports them) and dropped: they are kept
 * nowhere, not even in the stored job (see `stripCommenterEmails`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { SaxesParser } from 'saxes';
import { parseDocument } from 'htmlparser2';
import type { Database } from '../db/schema';
import { inTransaction, newId, nowIso } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit/audit.service';
import { rebuildLinks } from '../links/links.service';
import { indexDocument } from '../search/search.service';
import { log } from '../log';
import type { LabContext } from '../labs/labs.service';
import { normalizeOldPath } from './redirects';
import { stageImportJob } from '../db/jobs';
import { emailHash } from './comments.service';
import { insertImageRow, prepareJournalImage, writeImageBytes, type PreparedImage } from './images';
import { episodeSort, slugify } from '$lib/shared/journal';
import { parisToIso as parisWallClockToIso } from '$lib/shared/time';

export { findRedirect, normalizeOldPath } from './redirects';

// ——— The file ———

export type WxrVersion = '1.1' | '1.2';
export type WxrItemType = 'post' | 'page' | 'attachment';
/** What an item becomes: WordPress `publish` → published, `future` → scheduled, others → draft; `trash` is skipped. */
export type WxrState = 'published' | 'scheduled' | 'draft' | 'skip';
export type WxrCommentState = 'approved' | 'pending' | 'spam' | 'skip';

export interface WxrAuthor {
	login: string;
	displayName: string;
	email: string;
}

export interface WxrTerm {
	slug: string;
	name: string;
}

export interface WxrComment {
	id: string;
	/** The parent comment's id, null for a comment on the post itself. */
	parent: string | null;
	author: string;
	/** Read only to tell authors apart in memory; never written anywhere. */
	authorEmail: string;
	date: string | null;
	content: string;
	/** WordPress's `comment_approved`: 1, 0, spam, trash… */
	approved: string;
	state: WxrCommentState;
	/** '' for a comment; pingback and trackback are skipped. */
	type: string;
}

export interface WxrItem {
	type: WxrItemType;
	id: string;
	title: string;
	/** The old address of the item. */
	link: string;
	guid: string;
	slug: string;
	/** ISO (UTC): `wp:post_date_gmt`, else `wp:post_date` read in Europe/Paris, else `pubDate`. */
	date: string | null;
	status: string;
	state: WxrState;
	creator: string;
	content: string;
	excerpt: string;
	categories: { domain: string; slug: string; name: string }[];
	commentsOpen: boolean;
	comments: WxrComment[];
	parent: string | null;
	attachmentUrl: string;
	meta: Record<string, string>;
	/** Where the item starts in the file. */
	line: number;
}

export interface WxrSite {
	title: string;
	link: string;
	baseSiteUrl: string;
	baseBlogUrl: string;
	version: WxrVersion;
	authors: WxrAuthor[];
	categories: WxrTerm[];
	tags: WxrTerm[];
	/** Posts, pages and attachments, in the file's order. */
	items: WxrItem[];
	/** Items of other types (menus, revisions, blocks…), ignored; by type. */
	ignored: Record<string, number>;
}

/** Why a file cannot be read: where (1-based line and column), a message key and its parameters. */
export class WxrError extends Error {
	constructor(
		public readonly line: number,
		public readonly column: number,
		message: string,
		public readonly key: string = 'journal.import.xmlError',
		public readonly params: Record<string, string | number> = { detail: message }
	) {
		super(message);
		this.name = 'WxrError';
	}
}

interface XNode {
	name: string;
	attrs: Record<string, string>;
	children: XNode[];
	text: string;
	line: number;
	column: number;
}

const child = (n: XNode, name: string): XNode | undefined => n.children.find((c) => c.name === name);
const raw = (n: XNode, name: string): string => child(n, name)?.text ?? '';
const txt = (n: XNode, name: string): string => raw(n, name).trim();
const all = (n: XNode, name: string): XNode[] => n.children.filter((c) => c.name === name);

/** Elements of the channel read whole and then dropped from the tree (the file can be large). */
const CHANNEL_RECORDS = new Set(['item', 'wp:author', 'wp:category', 'wp:tag', 'wp:term']);

/**
 * Reads a WordPress export. Throws a WxrError (line, column, message) on a truncated or
 * malformed file, a file that is not a WordPress export, or an export version other than
 * 1.1 and 1.2.
 */
export function parseWxr(text: string): WxrSite {
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	if (!text.trim()) throw new WxrError(1, 1, 'empty file', 'journal.import.empty', {});
	const parser = new SaxesParser({ position: true });
	const stack: XNode[] = [];
	let root: XNode | null = null;
	let versionNode: XNode | null = null;
	const site: WxrSite = { title: '', link: '', baseSiteUrl: '', baseBlogUrl: '', version: '1.2', authors: [], categories: [], tags: [], items: [], ignored: {} };
	const seen = new Set<string>();

	parser.on('error', (e) => {
		// An unescaped "&" makes the parser read on to the next ";", far away: name the "&" itself.
		const amp = firstBadAmpersand(text);
		if (amp && amp.index < parser.position) throw new WxrError(amp.line, amp.column, 'unescaped & (write &amp;)', 'journal.import.badAmpersand', {});
		const detail = e.message.replace(/^\d+:\d+:\s*/, '');
		// Found only at the end: the file stops before its elements close (a cut download).
		if (parser.position >= text.length) throw new WxrError(parser.line, Math.max(1, parser.column), `the file ends too early (${detail})`, 'journal.import.truncated', { detail });
		throw new WxrError(parser.line, Math.max(1, parser.column), detail);
	});
	parser.on('opentag', (tag) => {
		const attrs: Record<string, string> = { ...(tag.attributes as Record<string, string>) };
		const node: XNode = { name: tag.name, attrs, children: [], text: '', line: parser.line, column: Math.max(1, parser.column) };
		if (!root) {
			if (tag.name !== 'rss') throw new WxrError(node.line, node.column, `root element is <${tag.name}>, not <rss>`, 'journal.import.notWxr', {});
			root = node;
		}
		stack.push(node);
	});
	const onText = (t: string) => {
		const top = stack[stack.length - 1];
		// Only elements without children keep text; whitespace between elements is dropped.
		if (top && (top.children.length === 0 || t.trim())) top.text += t;
	};
	parser.on('text', onText);
	parser.on('cdata', onText);
	parser.on('closetag', () => {
		const node = stack.pop()!;
		const parent = stack[stack.length - 1];
		if (!parent) return;
		if (parent.name === 'channel' && stack.length === 2 && CHANNEL_RECORDS.has(node.name)) {
			readRecord(site, node, seen);
			return;
		}
		if (node.name === 'wp:wxr_version' && parent.name === 'channel') {
			versionNode = node;
			const v = node.text.trim();
			if (v !== '1.1' && v !== '1.2') throw new WxrError(node.line, node.column, `unsupported WXR version ${v}`, 'journal.import.badVersion', { version: v.slice(0, 20) || '?' });
			site.version = v;
		}
		parent.children.push(node);
	});

	parser.write(text);
	parser.close();

	const rss = root as XNode | null;
	const channel = rss ? child(rss, 'channel') : undefined;
	if (!rss || !channel) throw new WxrError(parser.line, Math.max(1, parser.column), 'no <channel> element', 'journal.import.notWxr', {});
	if (!versionNode) throw new WxrError(channel.line, channel.column, 'no wp:wxr_version: not a WordPress export', 'journal.import.notWxr', {});
	site.title = txt(channel, 'title');
	site.link = txt(channel, 'link');
	site.baseSiteUrl = txt(channel, 'wp:base_site_url');
	site.baseBlogUrl = txt(channel, 'wp:base_blog_url');
	return site;
}

/** The first "&" that starts no entity reference, outside CDATA sections, comments and processing instructions. */
export function firstBadAmpersand(text: string): { index: number; line: number; column: number } | null {
	const re = /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|<\?[\s\S]*?(?:\?>|$)|&(?!(?:[A-Za-z_:][\w.:-]*|#\d+|#x[0-9a-fA-F]+);)/g;
	for (const m of text.matchAll(re)) {
		if (m[0] !== '&') continue;
		const index = m.index!;
		let line = 1;
		for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
		return { index, line, column: index - text.lastIndexOf('\n', index - 1) };
	}
	return null;
}

function readRecord(site: WxrSite, n: XNode, seen: Set<string>): void {
	switch (n.name) {
		case 'wp:author':
			site.authors.push({ login: txt(n, 'wp:author_login'), displayName: txt(n, 'wp:author_display_name'), email: txt(n, 'wp:author_email') });
			return;
		case 'wp:category':
			site.categories.push({ slug: txt(n, 'wp:category_nicename'), name: txt(n, 'wp:cat_name') });
			return;
		case 'wp:tag':
			site.tags.push({ slug: txt(n, 'wp:tag_slug'), name: txt(n, 'wp:tag_name') });
			return;
		case 'item':
			readItem(site, n, seen);
			return;
		default:
			return;
	}
}

function readItem(site: WxrSite, n: XNode, seen: Set<string>): void {
	const type = txt(n, 'wp:post_type') || 'post';
	if (type !== 'post' && type !== 'page' && type !== 'attachment') {
		site.ignored[type] = (site.ignored[type] ?? 0) + 1;
		return;
	}
	const id = txt(n, 'wp:post_id');
	if (!/^\d{1,12}$/.test(id)) throw new WxrError(n.line, n.column, 'an item has no valid wp:post_id', 'journal.import.noPostId', {});
	if (seen.has(id)) {
		site.ignored[type] = (site.ignored[type] ?? 0) + 1;
		return;
	}
	seen.add(id);
	const status = txt(n, 'wp:status');
	const date = wpDate(txt(n, 'wp:post_date_gmt'), txt(n, 'wp:post_date'), txt(n, 'pubDate'));
	const state: WxrState =
		status === 'publish' ? 'published' : status === 'future' ? (date ? 'scheduled' : 'draft') : status === 'trash' || status === 'auto-draft' ? 'skip' : 'draft';
	const meta: Record<string, string> = {};
	for (const m of all(n, 'wp:postmeta')) meta[txt(m, 'wp:meta_key')] = raw(m, 'wp:meta_value');
	const comments: WxrComment[] = all(n, 'wp:comment').map((c) => {
		const cid = txt(c, 'wp:comment_id');
		if (!/^\d{1,12}$/.test(cid)) throw new WxrError(c.line, c.column, 'a comment has no valid wp:comment_id', 'journal.import.noCommentId', {});
		const approved = txt(c, 'wp:comment_approved');
		const ctype = txt(c, 'wp:comment_type');
		const parent = txt(c, 'wp:comment_parent');
		return {
			id: cid,
			parent: parent && parent !== '0' ? parent : null,
			author: txt(c, 'wp:comment_author'),
			authorEmail: txt(c, 'wp:comment_author_email'),
			date: wpDate(txt(c, 'wp:comment_date_gmt'), txt(c, 'wp:comment_date'), ''),
			content: raw(c, 'wp:comment_content'),
			approved,
			type: ctype === 'comment' ? '' : ctype,
			state: ctype && ctype !== 'comment' ? 'skip' : approved === '1' ? 'approved' : approved === '0' ? 'pending' : approved === 'spam' ? 'spam' : 'skip'
		};
	});
	let slug = txt(n, 'wp:post_name');
	try {
		slug = decodeURIComponent(slug);
	} catch {
		// kept as it is
	}
	const parent = txt(n, 'wp:post_parent');
	site.items.push({
		type,
		id,
		title: txt(n, 'title'),
		link: txt(n, 'link'),
		guid: txt(n, 'guid'),
		slug,
		date,
		status,
		state,
		creator: txt(n, 'dc:creator'),
		content: raw(n, 'content:encoded'),
		excerpt: raw(n, 'excerpt:encoded'),
		categories: all(n, 'category').map((c) => ({ domain: c.attrs.domain ?? 'category', slug: c.attrs.nicename ?? '', name: c.text.trim() })),
		commentsOpen: txt(n, 'wp:comment_status') !== 'closed',
		comments,
		parent: parent && parent !== '0' ? parent : null,
		attachmentUrl: txt(n, 'wp:attachment_url'),
		meta,
		line: n.line
	});
}

// ——— Dates ———

const WP_DATE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** "2021-03-04 10:15:00" in Europe/Paris (WordPress's local time) → ISO UTC; null when unreadable. */
export function parisToIso(local: string): string | null {
	const m = WP_DATE.exec(local.trim());
	if (!m || m[1] === '0000') return null;
	const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}`;
	return Number.isNaN(Date.parse(`${iso}Z`)) ? null : parisWallClockToIso(iso);
}

/** The GMT date when WordPress has one ("0000-00-00 00:00:00" for drafts), else the local one, else pubDate. */
export function wpDate(gmt: string, local: string, pubDate: string): string | null {
	const m = WP_DATE.exec(gmt.trim());
	if (m && m[1] !== '0000') {
		const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
		if (!Number.isNaN(t)) return new Date(t).toISOString();
	}
	const fromLocal = parisToIso(local);
	if (fromLocal) return fromLocal;
	const p = pubDate ? Date.parse(pubDate) : NaN;
	return Number.isNaN(p) || p <= 0 ? null : new Date(p).toISOString();
}

// ——— Titles ———

const EPISODE_TITLE = /^\s*(\p{Lu}[\p{L}’'-]*(?:\s+[\p{L}’'-]+){0,2})\s+(\d{1,6}(?:[.-]\d{1,6}){0,3})\s*(?::|[-–—])\s*(\S[\s\S]*?)\s*$/u;

/** "Semaine 9.2 : préparer…" or "Semaine 9.2 - …" → series "Semaine", episode "9.2", title "préparer…". */
export function splitEpisodeTitle(title: string): { series: string; episode: string; title: string } {
	const clean = title.replace(/\s+/g, ' ').trim();
	const m = EPISODE_TITLE.exec(clean);
	if (!m) return { series: '', episode: '', title: clean };
	return { series: m[1]!.trim(), episode: m[2]!, title: m[3]! };
}

// ——— HTML → markdown ———

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

const BLOCK_START = /^\s*<\/?(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tfoot|tr|td|th|figure|figcaption|hr|section|article|aside|header|footer|dl|dt|dd|address|iframe|video|audio|form|wxr-gallery|!--)[\s>/]/i;
const BLOCK_END = /<\/?(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tfoot|tr|td|th|figure|figcaption|section|article|aside|header|footer|dl|dt|dd|address|iframe|video|audio|form|wxr-gallery)\b[^>]*>\s*$|<hr\b[^>]*>\s*$|-->\s*$/i;

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
		return BLOCK_START.test(chunk) || /^\u0000\d+\u0000$/.test(chunk) ? joined : `<p>${joined}</p>`;
	});
	return out.join('\n\n').replace(/\u0000(\d+)\u0000/g, (_, i: string) => pres[Number(i)]!);
}

interface HNode {
	type: string;
	name?: string;
	attribs?: Record<string, string>;
	children?: HNode[];
	data?: string;
}

const CONTAINERS = new Set(['p', 'div', 'section', 'article', 'header', 'footer', 'main', 'aside', 'center', 'address', 'figure', 'details', 'summary', 'dl', 'dd', 'dt', 'nav', 'li', 'body', 'html', 'tbody', 'thead']);
const BLOCKS = new Set([...CONTAINERS, 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'figcaption', 'ul', 'ol', 'blockquote', 'pre', 'hr', 'table', 'wxr-gallery', 'iframe', 'video', 'audio', 'embed', 'object']);
const DROP = new Set(['script', 'style', 'noscript', 'template', 'form', 'button', 'input', 'select', 'textarea', 'head', 'title', 'meta', 'link', 'svg', 'canvas', 'map']);

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
				return inner ? [inner.split('\n').map((l) => (l ? `> ${l}` : '>')).join('\n')] : [];
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
				if (isTag(c, 'tr')) rows.push((c.children ?? []).filter((d) => isTag(d, 'td', 'th')).map((d) => this.inline(d.children ?? []).replace(/\\?\n/g, ' ').replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim()));
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

function decodeSafe(s: string): string {
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

// ——— Import ———

export interface ImportCounts {
	posts: number;
	pages: number;
	comments: number;
	images: number;
	redirects: number;
	/** Items and comments left out: trash, pingbacks, menus, revisions and other item types. */
	skipped: number;
	/** Posts, pages and comments imported before (found by their WordPress id), left as they are. */
	unchanged: number;
}

export interface ImportProblem {
	ref: string;
	key: string;
	params: Record<string, string | number>;
}

export interface WxrImportResult extends ImportCounts {
	/** What could not be brought over but did not stop the import (an unreadable image…). */
	problems: ImportProblem[];
}

export interface ImportOptions {
	/** The app's address: links to it in imported content become paths. */
	origin: string;
	/** Called (not awaited) as the work advances: each item is converted, then written. */
	onProgress?: (done: number, total: number) => void;
	fileName?: string;
}

const RESERVED_SLUGS = new Set(['import', 'images', 'new', 'preview', 'feed', 'rss', 'tags', 'series', 'admin', 'edit']);
const DEFAULT_CATEGORIES = new Set(['uncategorized', 'non-classe', 'non-classifie']);
const MAX_TAGS = 30;

const sourceRef = (id: string) => `wp:${id}`;
const isImportable = (i: WxrItem) => i.type !== 'attachment' && i.state !== 'skip';

interface Plan {
	item: WxrItem;
	existing: { id: string; slug: string } | null;
	id: string;
	slug: string;
	series: string;
	episode: string;
	title: string;
	body: string;
	excerpt: string;
	coverFileId: string | null;
	images: PreparedImage[];
}

interface MemberIndex {
	byEmail: Map<string, { id: string; name: string }>;
	byName: Map<string, { id: string; name: string }>;
}

const foldName = (s: string) =>
	s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.trim();

async function memberIndex(db: Kysely<Database>, labId: string): Promise<MemberIndex> {
	const rows = await db
		.selectFrom('person as p')
		.innerJoin('account as a', 'a.person_id', 'p.id')
		.innerJoin('membership as m', 'm.account_id', 'a.id')
		.where('m.lab_id', '=', labId)
		.select(['p.id', 'p.name', 'p.email as personEmail', 'a.email as accountEmail'])
		.orderBy('p.created_at')
		.execute();
	const byEmail = new Map<string, { id: string; name: string }>();
	const byName = new Map<string, { id: string; name: string }>();
	for (const r of rows) {
		const who = { id: r.id, name: r.name };
		for (const e of [r.personEmail, r.accountEmail]) if (e && !byEmail.has(e.trim().toLowerCase())) byEmail.set(e.trim().toLowerCase(), who);
		if (!byName.has(foldName(r.name))) byName.set(foldName(r.name), who);
	}
	return { byEmail, byName };
}

/** A WordPress author as the journal signs them: the lab member with the same e-mail or name, or the name alone. */
function authorFor(site: WxrSite, login: string, members: MemberIndex): { personId: string | null; name: string } | null {
	if (!login) return null;
	const a = site.authors.find((x) => x.login === login);
	const display = a?.displayName || login;
	const m = (a?.email ? members.byEmail.get(a.email.toLowerCase()) : undefined) ?? members.byName.get(foldName(display));
	return m ? { personId: m.id, name: m.name } : { personId: null, name: display.slice(0, 200) };
}

/** The old addresses of an item: its permalink, and `?p=<id>` (and `?page_id=<id>` for a page) under the blog's address. */
export function oldAddresses(site: WxrSite, item: WxrItem): string[] {
	const out = new Set<string>();
	const add = (u: string) => {
		const p = u ? normalizeOldPath(u) : null;
		if (p && p !== '/' && !p.startsWith('/l/')) out.add(p);
	};
	add(item.link);
	let base = '';
	try {
		base = new URL(site.baseBlogUrl || site.link || 'http://x/').pathname.replace(/\/+$/, '');
	} catch {
		base = '';
	}
	add(`${base}/?p=${item.id}`);
	if (item.type === 'page') add(`${base}/?page_id=${item.id}`);
	return [...out];
}

function hostOf(u: string): string | null {
	try {
		return new URL(u).host.toLowerCase();
	} catch {
		return null;
	}
}

/** The bytes an attachment carries: a data: URI as its address, or a base64 (or data: URI) body. */
function attachmentBytes(a: WxrItem): Buffer | null {
	if (/^data:/i.test(a.attachmentUrl)) return decodeDataUri(a.attachmentUrl);
	const body = a.content.trim();
	if (/^data:/i.test(body)) return decodeDataUri(body);
	if (body.length >= 16 && /^[A-Za-z0-9+/=\s]+$/.test(body)) return Buffer.from(body.replace(/\s+/g, ''), 'base64');
	return null;
}

const attachmentName = (a: WxrItem): string => {
	const fromUrl = /^https?:/i.test(a.attachmentUrl) ? decodeSafe(a.attachmentUrl.split(/[?#]/)[0]!.split('/').pop() ?? '') : '';
	return fromUrl || slugify(a.title) || `image-${a.id}`;
};

/** What an import would do, read without writing anything: for the preview and --dry-run. */
export interface WxrAnalysis {
	site: { title: string; link: string; version: WxrVersion };
	counts: {
		posts: number;
		pages: number;
		comments: number;
		attachments: number;
		/** Items not imported: trash, other types (menus, revisions…). */
		skipped: number;
		/** Posts and pages already imported, left as they are. */
		unchanged: number;
		/** Comments already imported. */
		commentsUnchanged: number;
	};
	authors: { name: string; member: string | null }[];
	sample: { title: string; series: string; episode: string; kind: 'post' | 'page'; state: WxrState; date: string | null; comments: number; unchanged: boolean }[];
}

export const SAMPLE_SIZE = 20;

export async function analyseWxr(db: Kysely<Database>, ctx: LabContext, site: WxrSite): Promise<WxrAnalysis> {
	authorize(ctx.role, 'journal.import');
	const items = site.items.filter(isImportable);
	const existing = await existingPosts(db, ctx.lab.id, items.map((i) => sourceRef(i.id)));
	const members = await memberIndex(db, ctx.lab.id);
	const used = new Set(items.map((i) => i.creator).filter(Boolean));
	const authors = [...used].map((login) => {
		const a = authorFor(site, login, members)!;
		return { name: site.authors.find((x) => x.login === login)?.displayName || login, member: a.personId ? a.name : null };
	});
	const commentRefs = items.flatMap((i) => i.comments.filter((c) => c.state !== 'skip').map((c) => sourceRef(c.id)));
	let commentsUnchanged = 0;
	for (let k = 0; k < commentRefs.length; k += 500) {
		const part = commentRefs.slice(k, k + 500);
		const n = await db.selectFrom('comment').where('lab_id', '=', ctx.lab.id).where('source_ref', 'in', part).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
		commentsUnchanged += Number(n.n);
	}
	const ignored = Object.values(site.ignored).reduce((s, n) => s + n, 0);
	const trashed = site.items.filter((i) => i.type !== 'attachment' && i.state === 'skip').length;
	return {
		site: { title: site.title, link: site.link, version: site.version },
		counts: {
			posts: items.filter((i) => i.type === 'post').length,
			pages: items.filter((i) => i.type === 'page').length,
			comments: items.reduce((s, i) => s + i.comments.filter((c) => c.state !== 'skip').length, 0),
			attachments: site.items.filter((i) => i.type === 'attachment').length,
			skipped: ignored + trashed,
			unchanged: items.filter((i) => existing.has(sourceRef(i.id))).length,
			commentsUnchanged
		},
		authors,
		sample: items.slice(0, SAMPLE_SIZE).map((i) => {
			const t = splitEpisodeTitle(i.title);
			return {
				title: t.title,
				series: t.series,
				episode: t.episode,
				kind: i.type as 'post' | 'page',
				state: i.state,
				date: i.date,
				comments: i.comments.filter((c) => c.state !== 'skip').length,
				unchanged: existing.has(sourceRef(i.id))
			};
		})
	};
}

const COUNT_LABELS: [string, string][] = [
	['posts', 'billets / posts'],
	['pages', 'pages / pages'],
	['comments', 'commentaires / comments'],
	['attachments', 'fichiers joints / attachments'],
	['images', 'images / images'],
	['redirects', 'redirections / redirects'],
	['skipped', 'ignorés / skipped'],
	['unchanged', 'inchangés / unchanged']
];

/** The counts of an import (or of a dry run) as the command line prints them, one per line. */
export function formatCounts(counts: object): string[] {
	const c = counts as Record<string, unknown>;
	return COUNT_LABELS.filter(([k]) => typeof c[k] === 'number').map(([k, label]) => `${label}: ${c[k] as number}`);
}

/** What a dry run prints: what the file holds, and how much of it is already in the journal. */
export function dryRunCounts(a: WxrAnalysis): Omit<WxrAnalysis['counts'], 'commentsUnchanged'> & { problems: ImportProblem[] } {
	const { commentsUnchanged, ...counts } = a.counts;
	return { ...counts, unchanged: counts.unchanged + commentsUnchanged, problems: [] };
}

async function existingPosts(db: Kysely<Database>, labId: string, refs: string[]): Promise<Map<string, { id: string; slug: string }>> {
	const out = new Map<string, { id: string; slug: string }>();
	for (let i = 0; i < refs.length; i += 500) {
		const part = refs.slice(i, i + 500);
		if (!part.length) continue;
		const rows = await db.selectFrom('post').where('lab_id', '=', labId).where('source_ref', 'in', part).select(['id', 'slug', 'source_ref']).execute();
		for (const r of rows) if (r.source_ref && !out.has(r.source_ref)) out.set(r.source_ref, { id: r.id, slug: r.slug });
	}
	return out;
}

/** Reads and imports a WordPress export (see `importSite`). */
export async function importWxr(db: Kysely<Database>, ctx: LabContext, text: string, opts: ImportOptions): Promise<WxrImportResult> {
	authorize(ctx.role, 'journal.import');
	return importSite(db, ctx, parseWxr(text), opts);
}

/**
 * Imports a parsed export. Everything is written in one transaction: if anything fails,
 * nothing is (and the image files written for it are removed).
 */
export async function importSite(db: Kysely<Database>, ctx: LabContext, site: WxrSite, opts: ImportOptions): Promise<WxrImportResult> {
	authorize(ctx.role, 'journal.import');
	const labId = ctx.lab.id;
	const actorId = ctx.actor?.accountId ?? null;
	const result: WxrImportResult = { posts: 0, pages: 0, comments: 0, images: 0, redirects: 0, skipped: 0, unchanged: 0, problems: [] };
	const items = site.items.filter(isImportable);
	result.skipped = Object.values(site.ignored).reduce((s, n) => s + n, 0) + site.items.filter((i) => i.type !== 'attachment' && i.state === 'skip').length;
	const attachments = new Map(site.items.filter((i) => i.type === 'attachment').map((a) => [a.id, a]));
	const total = items.length * 2;
	let done = 0;
	const tick = () => {
		done++;
		try {
			opts.onProgress?.(done, total);
		} catch {
			// Progress is only shown; a failing listener does not stop the import.
		}
	};

	// Slugs and addresses, decided before converting so links between posts can be rewritten.
	const existing = await existingPosts(db, labId, items.map((i) => sourceRef(i.id)));
	const taken = new Set((await db.selectFrom('post').where('lab_id', '=', labId).select('slug').execute()).map((r) => r.slug));
	const plans: Plan[] = items.map((item) => {
		const ex = existing.get(sourceRef(item.id)) ?? null;
		const t = splitEpisodeTitle(item.title || item.slug || `Billet ${item.id}`);
		let slug = ex?.slug ?? '';
		if (!ex) {
			const base = slugify(item.slug) || slugify(item.title) || `billet-${item.id}`;
			slug = base;
			for (let k = 2; taken.has(slug) || RESERVED_SLUGS.has(slug); k++) slug = `${base}-${k}`;
			taken.add(slug);
		}
		return { item, existing: ex, id: ex?.id ?? newId(), slug, ...t, body: '', excerpt: '', coverFileId: null, images: [] };
	});
	const target = (slug: string) => `/l/${ctx.lab.slug}/journal/${slug}`;
	const moved = new Map<string, string>();
	for (const p of plans) for (const a of oldAddresses(site, p.item)) if (!moved.has(a)) moved.set(a, target(p.slug));
	const blogHosts = new Set([site.link, site.baseSiteUrl, site.baseBlogUrl].map(hostOf).filter((h): h is string => Boolean(h)));
	const appHost = hostOf(opts.origin);
	const rewrite = (href: string): string => {
		let u: URL;
		try {
			u = new URL(href);
		} catch {
			return href;
		}
		const host = u.host.toLowerCase();
		if (blogHosts.has(host)) {
			const key = normalizeOldPath(u.pathname + u.search);
			const to = key ? moved.get(key) : undefined;
			if (to) return to + u.hash;
		}
		if (appHost && host === appHost) return u.pathname + u.search + u.hash;
		return href;
	};
	const common: ConvertOptions = { base: site.baseBlogUrl || site.link || undefined, link: rewrite };

	const created: string[] = [];
	try {
		// 1. Outside the transaction: content converted, images made into WebP files.
		for (const plan of plans) {
			if (!plan.existing) await convertPlan(plan, attachments, common, ctx.lab, created, result.problems);
			tick();
		}

		// 2. One transaction for everything the database holds.
		await inTransaction(db, async (trx) => {
			const members = await memberIndex(trx, labId);
			for (const plan of plans) {
				await writePlan(trx, ctx, site, plan, { members, target, result, actorId, common });
				tick();
			}
			const changed = result.posts + result.pages + result.comments + result.redirects;
			if (changed)
				await recordAudit(trx, {
					labId,
					actorId,
					action: 'journal.import',
					subjectType: 'lab',
					subjectId: labId,
					summary: { file: opts.fileName ?? '', posts: result.posts, pages: result.pages, comments: result.comments, images: result.images, redirects: result.redirects, unchanged: result.unchanged }
				});
		});
	} catch (e) {
		for (const f of created) fs.rmSync(f, { force: true });
		throw e;
	}
	return result;
}

/** Converts one new item: its images stored as WebP files (rows come later, in the transaction). */
async function convertPlan(
	plan: Plan,
	attachments: Map<string, WxrItem>,
	common: ConvertOptions,
	lab: { id: string; slug: string },
	created: string[],
	problems: ImportProblem[]
): Promise<void> {
	const item = plan.item;
	const ref = sourceRef(item.id);
	const dataOf = new Map<string, Buffer | null>();
	const attBytes = (id: string | null): Buffer | null => {
		if (!id) return null;
		if (!dataOf.has(id)) {
			const a = attachments.get(id);
			dataOf.set(id, a ? attachmentBytes(a) : null);
		}
		return dataOf.get(id) ?? null;
	};
	const keyOf = (img: ImageRef): string | null => {
		if (img.attachmentId && attBytes(img.attachmentId)) return `att:${img.attachmentId}`;
		if (/^data:/i.test(img.src)) return `src:${createHash('sha1').update(img.src).digest('hex')}`;
		return null;
	};
	const gallery = (ids: string[]): ImageRef[] => {
		const list = ids.length
			? ids.map((id) => attachments.get(id)).filter((a): a is WxrItem => Boolean(a))
			: [...attachments.values()].filter((a) => a.parent === item.id);
		return list.map((a) => ({ src: /^data:/i.test(a.attachmentUrl) ? '' : a.attachmentUrl, alt: a.meta._wp_attachment_image_alt?.trim() || a.title, attachmentId: a.id }));
	};

	// First pass: which images are to be stored.
	const wanted = new Map<string, { bytes: Buffer | null; name: string }>();
	const note = (img: ImageRef) => {
		const key = keyOf(img);
		if (!key || wanted.has(key)) return null;
		if (key.startsWith('att:')) wanted.set(key, { bytes: attBytes(img.attachmentId), name: attachmentName(attachments.get(img.attachmentId!)!) });
		else wanted.set(key, { bytes: decodeDataUri(img.src), name: `${plan.slug}-${wanted.size + 1}` });
		return null;
	};
	htmlToMarkdown(item.content, { ...common, gallery, image: note });
	const thumb = item.meta._thumbnail_id?.trim() || null;
	if (thumb && attBytes(thumb)) note({ src: '', alt: '', attachmentId: thumb });
	// The item's own attachments that carry their bytes are kept too, even when not shown.
	for (const a of attachments.values()) if (a.parent === item.id && attBytes(a.id)) note({ src: '', alt: '', attachmentId: a.id });

	const urlOf = new Map<string, string | null>();
	for (const [key, w] of wanted) {
		try {
			if (!w.bytes) throw new DomainError('journal.import.badImage', 400, { ref });
			const img = await prepareJournalImage(w.bytes, w.name);
			const file = writeImageBytes(lab.id, img);
			if (file) created.push(file);
			plan.images.push(img);
			urlOf.set(key, img.fileId);
		} catch (e) {
			if (!(e instanceof DomainError)) throw e;
			problems.push({ ref, key: 'journal.import.badImage', params: { ref } });
			urlOf.set(key, null);
		}
	}
	if (thumb) plan.coverFileId = urlOf.get(`att:${thumb}`) ?? null;

	// Second pass: the markdown, with the stored images' addresses.
	plan.body = htmlToMarkdown(item.content, {
		...common,
		gallery,
		image: (img) => {
			const key = keyOf(img);
			const id = key ? urlOf.get(key) : null;
			return id ? `/l/${lab.slug}/journal/images/${id}` : null;
		}
	});
	plan.excerpt = htmlToText(item.excerpt);
}

async function writePlan(
	trx: Kysely<Database>,
	ctx: LabContext,
	site: WxrSite,
	plan: Plan,
	w: { members: MemberIndex; target: (slug: string) => string; result: WxrImportResult; actorId: string | null; common: ConvertOptions }
): Promise<void> {
	const { members, target, result, actorId } = w;
	const labId = ctx.lab.id;
	const item = plan.item;
	const ref = sourceRef(item.id);
	const now = nowIso();
	const found = await trx.selectFrom('post').where('lab_id', '=', labId).where('source_ref', '=', ref).select(['id', 'slug']).executeTakeFirst();
	let postId: string;
	let slug: string;
	if (found) {
		postId = found.id;
		slug = found.slug;
		result.unchanged++;
	} else if (plan.existing) {
		// Imported before, deleted since the preview began: left out this time.
		result.skipped++;
		return;
	} else {
		postId = plan.id;
		slug = plan.slug;
		for (let k = 2; await trx.selectFrom('post').where('lab_id', '=', labId).where('slug', '=', slug).select('id').executeTakeFirst(); k++) slug = `${plan.slug}-${k}`;
		const author = authorFor(site, item.creator, members);
		const state = item.state === 'skip' ? 'draft' : item.state;
		const body = plan.body;
		const tags = [
			...new Set(
				item.categories
					.filter((c) => (c.domain === 'category' || c.domain === 'post_tag') && !(c.domain === 'category' && DEFAULT_CATEGORIES.has(c.slug)))
					.map((c) => c.name.trim().toLowerCase().replace(/\s+/g, ' ').slice(0, 60))
					.filter(Boolean)
			)
		].slice(0, MAX_TAGS);
		await trx
			.insertInto('post')
			.values({
				id: postId,
				lab_id: labId,
				kind: item.type,
				slug,
				title: plan.title.slice(0, 300) || slug,
				series: plan.series,
				episode: plan.episode,
				episode_sort: episodeSort(plan.episode),
				excerpt: plan.excerpt,
				body,
				cover_file_id: null,
				by_lab: author ? 0 : 1,
				state,
				publish_at: state === 'scheduled' || state === 'published' ? item.date : null,
				published_at: state === 'published' ? (item.date ?? now) : null,
				// No preview link until one is issued: the hash of a token nobody holds.
				preview_token_hash: createHash('sha256').update(randomBytes(32)).digest('hex'),
				preview_expires_at: null,
				comments_open: item.commentsOpen ? 1 : 0,
				version: 1,
				source_ref: ref,
				created_by: actorId,
				created_at: item.date && item.date < now ? item.date : now,
				updated_at: now
			})
			.execute();
		if (author) await trx.insertInto('post_author').values({ post_id: postId, person_id: author.personId, name: author.name, position: 0 }).execute();
		if (tags.length) await trx.insertInto('post_tag').values(tags.map((tag) => ({ post_id: postId, lab_id: labId, tag }))).execute();
		for (const img of plan.images) await insertImageRow(trx, labId, img, postId, actorId);
		if (plan.coverFileId) await trx.updateTable('post').set({ cover_file_id: plan.coverFileId }).where('id', '=', postId).execute();
		result.images += plan.images.length;
		await rebuildLinks(trx, labId, { type: 'post', id: postId }, body);
		await indexDocument(trx, {
			type: 'post',
			id: postId,
			labId,
			title: plan.episode ? `${plan.series} ${plan.episode} — ${plan.title}` : plan.title,
			body: [plan.excerpt, body].join('\n\n'),
			subtype: item.type,
			visibility: state === 'published' ? 'public' : 'lab',
			date: item.date ?? now,
			tags
		});
		if (item.type === 'page') result.pages++;
		else result.posts++;
	}

	// Old addresses → the journal (a path already redirected is left alone).
	const addresses = oldAddresses(site, item);
	if (addresses.length) {
		const known = new Set(
			(await trx.selectFrom('redirect').where('lab_id', '=', labId).where('from_path', 'in', addresses).select('from_path').execute()).map((r) => r.from_path)
		);
		const fresh = addresses.filter((a) => !known.has(a));
		if (fresh.length) {
			await trx
				.insertInto('redirect')
				.values(fresh.map((from_path) => ({ id: newId(), lab_id: labId, from_path, to_path: target(slug) })))
				.execute();
			result.redirects += fresh.length;
		}
	}

	await writeComments(trx, labId, postId, item, result, w.common);
}

async function writeComments(trx: Kysely<Database>, labId: string, postId: string, item: WxrItem, result: WxrImportResult, common: ConvertOptions): Promise<void> {
	const list = item.comments.filter((c) => c.state !== 'skip');
	result.skipped += item.comments.length - list.length;
	if (!list.length) return;
	const ourId = new Map<string, string>();
	for (let i = 0; i < list.length; i += 500) {
		const refs = list.slice(i, i + 500).map((c) => sourceRef(c.id));
		const rows = await trx.selectFrom('comment').where('lab_id', '=', labId).where('source_ref', 'in', refs).select(['id', 'source_ref']).execute();
		for (const r of rows) if (r.source_ref) ourId.set(r.source_ref.slice(3), r.id);
	}
	const byId = new Map(list.map((c) => [c.id, c]));
	const handled = new Set<string>();
	const write = async (c: WxrComment): Promise<void> => {
		if (handled.has(c.id)) return;
		handled.add(c.id);
		if (ourId.has(c.id)) {
			result.unchanged++;
			return;
		}
		// Parents first, so threads hold; a parent left out (trash) or in a loop makes a top-level comment.
		const parent = c.parent ? byId.get(c.parent) : undefined;
		if (parent) await write(parent);
		const parentId = c.parent ? (ourId.get(c.parent) ?? null) : null;
		const body = htmlToMarkdown(c.content, common);
		const id = newId();
		await trx
			.insertInto('comment')
			.values({
				id,
				lab_id: labId,
				post_id: postId,
				parent_id: parentId,
				person_id: null,
				name: c.author.replace(/\s+/g, ' ').trim().slice(0, 100) || 'Anonyme',
				email_hash: commenterHash(c.authorEmail),
				body: body || '…',
				state: c.state,
				source_ref: sourceRef(c.id),
				created_at: c.date ?? nowIso(),
				moderated_at: null,
				moderated_by: null
			})
			.execute();
		ourId.set(c.id, id);
		result.comments++;
	};
	for (const c of list) await write(c);
}

// ——— The web import: preview, then a job with a progress bar ———

export const MAX_WXR_BYTES = 50 * 1024 * 1024;
const JOB_KIND = 'journal.wordpress';

/**
 * The export as the job keeps it: commenters' IP addresses emptied, their e-mails replaced by
 * the keyed hash comments use (so an imported commenter is recognised, and can erase their
 * comments, without the address being kept).
 */
export function stripCommenterEmails(text: string): string {
	return text
		.replace(/(<wp:comment_author_IP>)[\s\S]*?(<\/wp:comment_author_IP>)/g, '$1$2')
		.replace(/(<wp:comment_author_email>)([\s\S]*?)(<\/wp:comment_author_email>)/g, (_, open: string, email: string, close: string) => {
			const address = email.replace(/^<!\[CDATA\[|\]\]>$/g, '').trim();
			return `${open}${address && !address.startsWith(HASHED) ? HASHED + emailHash(address) : address}${close}`;
		});
}

const HASHED = 'hash:';
/** A commenter's key: their e-mail's keyed hash, computed now or when the job was stored. */
const commenterHash = (email: string): string => (!email ? '' : email.startsWith(HASHED) ? email.slice(HASHED.length) : emailHash(email));

export function decodeWxrBytes(bytes: Uint8Array): string {
	const text = new TextDecoder('utf-8').decode(bytes);
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export interface WxrPreview {
	jobId: string | null;
	error: { line: number; column: number; key: string; params: Record<string, string | number> } | null;
	analysis: WxrAnalysis | null;
}

/** Reads an uploaded export: its error with line and column (nothing written), or what it holds and a ready job. */
export async function previewWxr(db: Kysely<Database>, ctx: LabContext, bytes: Uint8Array, fileName: string): Promise<WxrPreview> {
	authorize(ctx.role, 'journal.import');
	if (bytes.length > MAX_WXR_BYTES) throw new DomainError('journal.import.tooLarge', 413, { max: MAX_WXR_BYTES / 1024 / 1024 }, 'file');
	const text = decodeWxrBytes(bytes);
	let site: WxrSite;
	try {
		site = parseWxr(text);
	} catch (e) {
		if (e instanceof WxrError) return { jobId: null, error: { line: e.line, column: e.column, key: e.key, params: e.params }, analysis: null };
		throw e;
	}
	const analysis = await analyseWxr(db, ctx, site);
	const jobId = await stageImportJob(db, {
		labId: ctx.lab.id,
		kind: JOB_KIND,
		fileName,
		total: (analysis.counts.posts + analysis.counts.pages) * 2,
		payload: stripCommenterEmails(text),
		createdBy: ctx.actor?.accountId ?? null
	});
	return { jobId, error: null, analysis };
}

export type JobState = 'ready' | 'running' | 'done' | 'failed';

export interface WxrProgress {
	state: JobState;
	total: number;
	done: number;
	fileName: string;
	result: Partial<WxrImportResult> & { error?: string; params?: Record<string, string | number>; line?: number; column?: number };
}

/** Progress of the jobs running in this process (the transaction's own writes are not visible outside it). */
const live = new Map<string, { done: number; total: number }>();

/** Claims a ready job (it becomes `running`) and imports it in the background; `finished` settles at the end. */
export async function startWxrImport(db: Kysely<Database>, ctx: LabContext, jobId: string, origin: string): Promise<{ finished: Promise<WxrImportResult> }> {
	authorize(ctx.role, 'journal.import');
	const job = await db.selectFrom('import_job').where('id', '=', jobId).where('lab_id', '=', ctx.lab.id).where('kind', '=', JOB_KIND).select(['id']).executeTakeFirst();
	if (!job) throw new DomainError('journal.import.jobNotFound', 404);
	const claimed = await db.updateTable('import_job').set({ state: 'running', updated_at: nowIso() }).where('id', '=', jobId).where('state', '=', 'ready').executeTakeFirst();
	if (!Number(claimed.numUpdatedRows)) throw new DomainError('journal.import.jobNotReady', 409);
	live.set(jobId, { done: 0, total: 0 });
	return { finished: processJob(db, ctx, jobId, origin) };
}

async function processJob(db: Kysely<Database>, ctx: LabContext, jobId: string, origin: string): Promise<WxrImportResult> {
	let lastSaved = 0;
	try {
		const job = await db.selectFrom('import_job').where('id', '=', jobId).select(['payload', 'file_name']).executeTakeFirstOrThrow();
		const result = await importWxr(db, ctx, job.payload, {
			origin,
			fileName: job.file_name,
			onProgress: (done, total) => {
				live.set(jobId, { done, total });
				// Saved now and then, not awaited: with SQLite it waits for the import's transaction.
				if (Date.now() - lastSaved > 1000) {
					lastSaved = Date.now();
					void db
						.updateTable('import_job')
						.set({ done, total, updated_at: nowIso() })
						.where('id', '=', jobId)
						.where('state', '=', 'running')
						.execute()
						.catch(() => undefined);
				}
			}
		});
		const total = live.get(jobId)?.total ?? 0;
		await db.updateTable('import_job').set({ state: 'done', payload: '', done: total, total, result: JSON.stringify(result), updated_at: nowIso() }).where('id', '=', jobId).execute();
		return result;
	} catch (e) {
		const params =
			e instanceof WxrError
				? { error: e.key, params: e.params, line: e.line, column: e.column }
				: e instanceof DomainError
					? { error: e.code, params: e.params }
					: { error: 'journal.import.failed' };
		log.error('journal.importFailed', { jobId, error: e instanceof Error ? e.message : String(e) });
		await db
			.updateTable('import_job')
			.set({ state: 'failed', payload: '', result: JSON.stringify(params), updated_at: nowIso() })
			.where('id', '=', jobId)
			.execute()
			.catch(() => undefined);
		throw e;
	} finally {
		live.delete(jobId);
	}
}

/** Imports a ready job and waits for the end (tests, scripts). */
export async function runWxrImport(db: Kysely<Database>, ctx: LabContext, jobId: string, origin: string): Promise<WxrImportResult> {
	const { finished } = await startWxrImport(db, ctx, jobId, origin);
	return finished;
}

export async function wxrJobProgress(db: Kysely<Database>, ctx: LabContext, jobId: string): Promise<WxrProgress> {
	authorize(ctx.role, 'journal.import');
	const job = await db
		.selectFrom('import_job')
		.where('id', '=', jobId)
		.where('lab_id', '=', ctx.lab.id)
		.where('kind', '=', JOB_KIND)
		.select(['state', 'total', 'done', 'result', 'file_name'])
		.executeTakeFirst();
	if (!job) throw new DomainError('journal.import.jobNotFound', 404);
	const now = job.state === 'running' ? live.get(jobId) : undefined;
	const total = now?.total || job.total;
	const done = Math.min(now?.done ?? job.done, total);
	return { state: job.state as JobState, total, done, fileName: job.file_name, result: JSON.parse(job.result || '{}') as WxrProgress['result'] };
}
