/**
 * Writing an export into a lab's journal: posts, pages, authors, tags, comments, images and
 * redirects from the old addresses in ONE transaction, keyed by `source_ref` = `wp:<id>`, so
 * importing the same file again changes nothing. Images are converted (WebP, 1600 px at most)
 * before the transaction, so a long import does not hold the database while it works on them.
 */
import type { MessageKey } from '$lib/i18n';
import fs from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { inTransaction, newId, nowIso } from '../../db/util';
import { DomainError } from '../../errors';
import { authorize } from '../../policy';
import { recordAudit } from '../../audit';
import { rebuildLinks } from '../../links';
import { indexDocument } from '../../search';
import type { LabContext } from '../../labs';
import { labPeople } from '../../members';
import { normalizeOldPath } from '../redirects';
import { prepareJournalImage, type PreparedImage } from '../images';
import { insertImageRow, writeImageBytes } from '../../files';
import { episodeSort, slugify } from '$lib/shared/journal';
import { type ConvertOptions, type ImageRef, decodeDataUri, decodeSafe, htmlToMarkdown, htmlToText } from './html';
import { commenterHash } from './commenters';
import { type WxrComment, type WxrItem, type WxrSite, parseWxr, splitEpisodeTitle } from './wxr';
import { bumpContentVersion } from '../../publiccache';

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
	key: MessageKey;
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

export const sourceRef = (id: string) => `wp:${id}`;
export const isImportable = (i: WxrItem) => i.type !== 'attachment' && i.state !== 'skip';

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

export async function memberIndex(db: Kysely<Database>, labId: string): Promise<MemberIndex> {
	const rows = (await labPeople(db, labId)).map((p) => ({ id: p.personId, name: p.name, personEmail: p.personEmail, accountEmail: p.accountEmail }));
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
export function authorFor(site: WxrSite, login: string, members: MemberIndex): { personId: string | null; name: string } | null {
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

export async function existingPosts(db: Kysely<Database>, labId: string, refs: string[]): Promise<Map<string, { id: string; slug: string }>> {
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
	const existing = await existingPosts(
		db,
		labId,
		items.map((i) => sourceRef(i.id))
	);
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
					summary: {
						file: opts.fileName ?? '',
						posts: result.posts,
						pages: result.pages,
						comments: result.comments,
						images: result.images,
						redirects: result.redirects,
						unchanged: result.unchanged
					}
				});
			if (changed) await bumpContentVersion(trx, labId);
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
		return list.map((a) => ({
			src: /^data:/i.test(a.attachmentUrl) ? '' : a.attachmentUrl,
			alt: a.meta._wp_attachment_image_alt?.trim() || a.title,
			attachmentId: a.id
		}));
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
		for (let k = 2; await trx.selectFrom('post').where('lab_id', '=', labId).where('slug', '=', slug).select('id').executeTakeFirst(); k++)
			slug = `${plan.slug}-${k}`;
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
		if (tags.length)
			await trx
				.insertInto('post_tag')
				.values(tags.map((tag) => ({ post_id: postId, lab_id: labId, tag })))
				.execute();
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

async function writeComments(
	trx: Kysely<Database>,
	labId: string,
	postId: string,
	item: WxrItem,
	result: WxrImportResult,
	common: ConvertOptions
): Promise<void> {
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

export { SAMPLE_SIZE, type WxrAnalysis, analyseWxr, dryRunCounts, formatCounts } from './analyse';
