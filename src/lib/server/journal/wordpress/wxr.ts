/**
 * Reading a WordPress export (WXR 1.1 or 1.2) with a streaming XML parser: a truncated or
 * malformed file stops with the line and column of the fault. Also WordPress's dates (Paris
 * wall-clock or GMT) and "Series 10.1 : title" episode titles.
 */
import type { MessageKey } from '$lib/i18n';
import { SaxesParser } from 'saxes';
import { parisToIso as parisWallClockToIso } from '$lib/shared/time';

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
		public readonly key: MessageKey = 'journal.import.xmlError',
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
	const site: WxrSite = {
		title: '',
		link: '',
		baseSiteUrl: '',
		baseBlogUrl: '',
		version: '1.2',
		authors: [],
		categories: [],
		tags: [],
		items: [],
		ignored: {}
	};
	const seen = new Set<string>();

	parser.on('error', (e) => {
		// An unescaped "&" makes the parser read on to the next ";", far away: name the "&" itself.
		const amp = firstBadAmpersand(text);
		if (amp && amp.index < parser.position) throw new WxrError(amp.line, amp.column, 'unescaped & (write &amp;)', 'journal.import.badAmpersand', {});
		const detail = e.message.replace(/^\d+:\d+:\s*/, '');
		// Found only at the end: the file stops before its elements close (a cut download).
		if (parser.position >= text.length)
			throw new WxrError(parser.line, Math.max(1, parser.column), `the file ends too early (${detail})`, 'journal.import.truncated', { detail });
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
			if (v !== '1.1' && v !== '1.2')
				throw new WxrError(node.line, node.column, `unsupported WXR version ${v}`, 'journal.import.badVersion', { version: v.slice(0, 20) || '?' });
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
		status === 'publish'
			? 'published'
			: status === 'future'
				? date
					? 'scheduled'
					: 'draft'
				: status === 'trash' || status === 'auto-draft'
					? 'skip'
					: 'draft';
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
