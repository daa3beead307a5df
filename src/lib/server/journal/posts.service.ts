import { type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, newId, nowIso, toCount } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import { rebuildLinks } from '../links';
import { indexDocument } from '../search';
import { hashToken, newToken } from '../auth';
import type { LabContext } from '../labs';
import { labPeople } from '../members';
import { episodeSort, slugify, stripSeriesPrefix, type PostKind, type PostState } from '$lib/shared/journal';
import { normalizeOldPath } from './redirects';
import { bumpContentVersion } from '../publiccache';

export interface PostInput {
	kind: PostKind;
	title: string;
	slug: string; // '' → from the title
	series: string;
	episode: string;
	excerpt: string;
	body: string;
	tags: string[];
	/** Member persons who signed the post; empty with byLab = the lab itself. */
	authorPersonIds: string[];
	byLab: boolean;
	coverFileId: string | null;
	commentsOpen: boolean;
}

export interface PostSummary {
	id: string;
	kind: PostKind;
	slug: string;
	title: string;
	series: string;
	episode: string;
	excerpt: string;
	state: PostState;
	publishAt: string | null;
	publishedAt: string | null;
	updatedAt: string;
	coverFileId: string | null;
	authors: string[];
	tags: string[];
	comments: number;
}

export interface PostDetail extends PostSummary {
	body: string;
	byLab: boolean;
	commentsOpen: boolean;
	version: number;
	/** Until when the current preview link works; null when none was issued (or it lapsed long ago). */
	previewExpiresAt: string | null;
	authorPersonIds: string[];
}

export const JOURNAL_PAGE_SIZE = 10;
const RESERVED_SLUGS = new Set(['admin', 'moderation', 'commenters', 'erase', 'import', 'images', 'preview', 'serie', 'tag', 'feed.atom']);

/** A preview link works for 30 days; issuing a new one ends the previous one. */
export const PREVIEW_LINK_TTL_MS = 30 * 24 * 60 * 60_000;

/** Scheduled posts whose time has come are published (by the server's clock, every minute, and on reads). */
export async function publishDue(db: Kysely<Database>, labId?: string, now = nowIso()): Promise<number> {
	let q = db.selectFrom('post').where('state', '=', 'scheduled').where('publish_at', '<=', now);
	if (labId) q = q.where('lab_id', '=', labId);
	const due = await q.selectAll().execute();
	let n = 0;
	for (const row of due) {
		await inTransaction(db, async (trx) => {
			const r = await trx
				.updateTable('post')
				.set({ state: 'published', published_at: row.publish_at, updated_at: now })
				.where('id', '=', row.id)
				.where('state', '=', 'scheduled')
				.executeTakeFirst();
			if (!Number(r.numUpdatedRows)) return;
			const tags = (await trx.selectFrom('post_tag').where('post_id', '=', row.id).select('tag').execute()).map((t) => t.tag);
			await indexPost(trx, { ...row, state: 'published', published_at: row.publish_at }, tags);
			await recordAudit(trx, {
				labId: row.lab_id,
				actorId: null,
				action: 'post.state',
				subjectType: 'post',
				subjectId: row.id,
				summary: { from: 'scheduled', to: 'published' }
			});
			await bumpContentVersion(trx, row.lab_id);
			n++;
		});
	}
	return n;
}

async function uniqueSlug(db: Kysely<Database>, labId: string, wanted: string, exceptId: string | null): Promise<string> {
	let base = slugify(wanted) || 'billet';
	// Addresses the journal uses for itself.
	if (RESERVED_SLUGS.has(base)) base = `${base}-billet`;
	for (let i = 1; i < 200; i++) {
		const slug = i === 1 ? base : `${base}-${i}`;
		let q = db.selectFrom('post').where('lab_id', '=', labId).where('slug', '=', slug);
		if (exceptId) q = q.where('id', '!=', exceptId);
		if (!(await q.select('id').executeTakeFirst())) return slug;
	}
	throw new DomainError('journal.slugTaken', 409, {}, 'slug');
}

async function writeChildren(trx: Kysely<Database>, labId: string, id: string, input: PostInput, state: string) {
	await trx.deleteFrom('post_tag').where('post_id', '=', id).execute();
	const tags = [...new Set(input.tags.map((t) => t.trim().toLowerCase()).filter(Boolean))].slice(0, 30);
	if (tags.length)
		await trx
			.insertInto('post_tag')
			.values(tags.map((tag) => ({ post_id: id, lab_id: labId, tag })))
			.execute();
	await trx.deleteFrom('post_author').where('post_id', '=', id).execute();
	if (input.authorPersonIds.length) {
		const persons = (await labPeople(trx, labId, { personIds: input.authorPersonIds })).map((p) => ({ id: p.personId, name: p.name }));
		if (persons.length !== new Set(input.authorPersonIds).size) throw new DomainError('journal.authorUnknown', 400, {}, 'authors');
		const order = new Map(input.authorPersonIds.map((pid, i) => [pid, i]));
		await trx
			.insertInto('post_author')
			.values(persons.map((p) => ({ post_id: id, person_id: p.id, name: p.name, position: order.get(p.id) ?? 0 })))
			.execute();
	}
	await rebuildLinks(trx, labId, { type: 'post', id }, input.body);
	const dates = await trx.selectFrom('post').where('id', '=', id).select(['publish_at', 'published_at', 'created_at']).executeTakeFirstOrThrow();
	await indexPost(
		trx,
		{
			id,
			lab_id: labId,
			title: input.title,
			series: input.series,
			episode: input.episode,
			excerpt: input.excerpt,
			body: input.body,
			kind: input.kind,
			state,
			...dates
		},
		tags
	);
}

/** The post in the search index: found by everyone once published, before that by members only. */
async function indexPost(
	trx: Kysely<Database>,
	p: {
		id: string;
		lab_id: string;
		title: string;
		series: string;
		episode: string;
		excerpt: string;
		body: string;
		kind: string;
		state: string;
		publish_at: string | null;
		published_at: string | null;
		created_at: string;
	},
	tags: string[]
) {
	await indexDocument(trx, {
		type: 'post',
		id: p.id,
		labId: p.lab_id,
		title: p.episode ? `${p.series} ${p.episode} — ${p.title}` : p.title,
		body: [p.excerpt, p.body].join('\n\n'),
		subtype: p.kind,
		visibility: p.state === 'published' ? 'public' : 'lab',
		// Its publication date (planned date, else creation, before it is published): date filters rely on it.
		date: p.published_at ?? p.publish_at ?? p.created_at,
		tags
	});
}

/** Indexes a post again from its stored row (after its dates were set, e.g. by an import). */
export async function reindexPost(trx: Kysely<Database>, id: string): Promise<void> {
	const row = await trx.selectFrom('post').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
	const tags = (await trx.selectFrom('post_tag').where('post_id', '=', id).select('tag').execute()).map((t) => t.tag);
	await indexPost(trx, row, tags);
}

const defaultSlug = (p: { series: string; episode: string; title: string }) => (p.series && p.episode ? `${p.series} ${p.episode} ${p.title}` : p.title);

/** The title as stored: without the series and episode the journal already shows before it. */
const withPlainTitle = (input: PostInput): PostInput => ({ ...input, title: stripSeriesPrefix(input.title, input.series, input.episode) });

function check(input: PostInput) {
	if (!input.byLab && input.authorPersonIds.length === 0) throw new DomainError('journal.authorRequired', 400, {}, 'authors');
	if (input.episode && !/^[0-9A-Za-z]+([.-][0-9A-Za-z]+)*$/.test(input.episode)) throw new DomainError('journal.episodeInvalid', 400, {}, 'episode');
}

export async function createPost(db: Kysely<Database>, ctx: LabContext, typed: PostInput, opts: { sourceRef?: string | null } = {}): Promise<string> {
	authorize(ctx.role, 'journal.write');
	check(typed);
	const input = withPlainTitle(typed);
	return inTransaction(db, async (trx) => {
		const id = newId();
		const now = nowIso();
		const slug = await uniqueSlug(trx, ctx.lab.id, input.slug || defaultSlug(input), null);
		await trx
			.insertInto('post')
			.values({
				id,
				lab_id: ctx.lab.id,
				kind: input.kind,
				slug,
				title: input.title,
				series: input.series,
				episode: input.episode,
				episode_sort: episodeSort(input.episode),
				excerpt: input.excerpt,
				body: input.body,
				cover_file_id: input.coverFileId,
				by_lab: input.byLab ? 1 : 0,
				state: 'draft',
				publish_at: null,
				published_at: null,
				// No preview link until someone issues one: the hash of a token nobody holds.
				preview_token_hash: hashToken(newToken()),
				preview_expires_at: null,
				comments_open: input.commentsOpen ? 1 : 0,
				version: 1,
				source_ref: opts.sourceRef ?? null,
				created_by: ctx.actor?.accountId ?? null,
				created_at: now,
				updated_at: now
			})
			.execute();
		await writeChildren(trx, ctx.lab.id, id, input, 'draft');
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'post.create',
			subjectType: 'post',
			subjectId: id,
			summary: { title: input.title }
		});
		return id;
	});
}

/** Saves a new text; refused when someone saved in between (the typed text stays in the form). */
export async function updatePost(db: Kysely<Database>, ctx: LabContext, id: string, typed: PostInput, baseVersion: number): Promise<void> {
	authorize(ctx.role, 'journal.write');
	check(typed);
	const input = withPlainTitle(typed);
	await inTransaction(db, async (trx) => {
		const row = await trx
			.selectFrom('post')
			.where('id', '=', id)
			.where('lab_id', '=', ctx.lab.id)
			.select(['version', 'state', 'slug', 'published_at'])
			.executeTakeFirst();
		if (!row) throw new DomainError('journal.notFound', 404);
		const slug = await uniqueSlug(trx, ctx.lab.id, input.slug || defaultSlug(input), id);
		const r = await trx
			.updateTable('post')
			.set({
				kind: input.kind,
				slug,
				title: input.title,
				series: input.series,
				episode: input.episode,
				episode_sort: episodeSort(input.episode),
				excerpt: input.excerpt,
				body: input.body,
				cover_file_id: input.coverFileId,
				by_lab: input.byLab ? 1 : 0,
				comments_open: input.commentsOpen ? 1 : 0,
				version: baseVersion + 1,
				updated_at: nowIso()
			})
			.where('id', '=', id)
			.where('version', '=', baseVersion)
			.executeTakeFirst();
		if (!Number(r.numUpdatedRows)) throw new DomainError('journal.conflict', 409);
		if (slug !== row.slug && row.published_at) await keepOldAddress(trx, ctx.lab, row.slug, slug);
		await writeChildren(trx, ctx.lab.id, id, input, row.state);
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'post.update',
			subjectType: 'post',
			subjectId: id,
			summary: { version: baseVersion + 1 }
		});
		await bumpContentVersion(trx, ctx.lab.id);
	});
}

/**
 * A post that was public keeps its old address: a permanent redirect to the new one (served like
 * an imported blog's old addresses), and older redirects to it follow it to the new one too.
 */
async function keepOldAddress(trx: Kysely<Database>, lab: { id: string; slug: string }, oldSlug: string, newSlug: string): Promise<void> {
	const at = (slug: string) => `/l/${lab.slug}/journal/${slug}`;
	const from = normalizeOldPath(at(oldSlug));
	const to = at(newSlug);
	if (!from) return;
	await trx.updateTable('redirect').set({ to_path: to }).where('lab_id', '=', lab.id).where('to_path', '=', at(oldSlug)).execute();
	// The new address is a post again: a redirect away from it would never be reached, drop it.
	await trx
		.deleteFrom('redirect')
		.where('lab_id', '=', lab.id)
		.where('from_path', '=', normalizeOldPath(to) ?? to)
		.execute();
	await trx.deleteFrom('redirect').where('lab_id', '=', lab.id).where('from_path', '=', from).execute();
	await trx.insertInto('redirect').values({ id: newId(), lab_id: lab.id, from_path: from, to_path: to }).execute();
}

export type StateAction = { to: 'published' } | { to: 'scheduled'; at: string } | { to: 'unpublished' } | { to: 'draft' };

const MOVES: Record<PostState, PostState[]> = {
	draft: ['scheduled', 'published'],
	scheduled: ['draft', 'published', 'scheduled'],
	published: ['unpublished'],
	unpublished: ['published', 'draft']
};

/** draft → scheduled (published automatically at its time) → published → unpublished. */
export async function changeState(db: Kysely<Database>, ctx: LabContext, id: string, action: StateAction): Promise<void> {
	authorize(ctx.role, 'journal.write');
	await inTransaction(db, async (trx) => {
		const row = await trx.selectFrom('post').where('id', '=', id).where('lab_id', '=', ctx.lab.id).selectAll().executeTakeFirst();
		if (!row) throw new DomainError('journal.notFound', 404);
		const from = row.state as PostState;
		if (!MOVES[from].includes(action.to)) throw new DomainError('journal.badMove', 409, { from: `journal.state.${from}`, to: `journal.state.${action.to}` });
		const now = nowIso();
		if (action.to === 'scheduled' && action.at <= now) throw new DomainError('journal.scheduleInPast', 400, {}, 'publishAt');
		await trx
			.updateTable('post')
			.set({
				state: action.to,
				publish_at: action.to === 'scheduled' ? action.at : action.to === 'published' ? now : row.publish_at,
				published_at: action.to === 'published' ? (row.published_at ?? now) : row.published_at,
				updated_at: now
			})
			.where('id', '=', id)
			.execute();
		const tags = (await trx.selectFrom('post_tag').where('post_id', '=', id).select('tag').execute()).map((t) => t.tag);
		const dates = await trx.selectFrom('post').where('id', '=', id).select(['publish_at', 'published_at']).executeTakeFirstOrThrow();
		await indexPost(trx, { ...row, ...dates, state: action.to }, tags);
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'post.state',
			subjectType: 'post',
			subjectId: id,
			summary: { from, to: action.to }
		});
		await bumpContentVersion(trx, ctx.lab.id, action.to === 'scheduled' ? { publishAt: action.at } : {});
	});
}

export async function decorate(db: Kysely<Database>, rows: Database['post'][]): Promise<PostSummary[]> {
	const ids = rows.map((r) => r.id);
	if (!ids.length) return [];
	const [authors, tags, comments] = await Promise.all([
		db.selectFrom('post_author').where('post_id', 'in', ids).select(['post_id', 'name']).orderBy('position').execute(),
		db.selectFrom('post_tag').where('post_id', 'in', ids).select(['post_id', 'tag']).orderBy('tag').execute(),
		db
			.selectFrom('comment')
			.where('post_id', 'in', ids)
			.where('state', '=', 'approved')
			.select('post_id')
			.select((eb) => eb.fn.countAll().as('n'))
			.groupBy('post_id')
			.execute()
	]);
	const group = <T extends { post_id: string }, V>(list: T[], f: (x: T) => V) => {
		const m = new Map<string, V[]>();
		for (const x of list) m.set(x.post_id, [...(m.get(x.post_id) ?? []), f(x)]);
		return m;
	};
	const a = group(authors, (x) => x.name);
	const t = group(tags, (x) => x.tag);
	const c = new Map(comments.map((x) => [x.post_id, toCount(x.n)]));
	return rows.map((r) => ({
		id: r.id,
		kind: r.kind as PostKind,
		slug: r.slug,
		title: r.title,
		series: r.series,
		episode: r.episode,
		excerpt: r.excerpt,
		state: r.state as PostState,
		publishAt: r.publish_at,
		publishedAt: r.published_at,
		updatedAt: r.updated_at,
		coverFileId: r.cover_file_id,
		authors: r.by_lab ? [] : (a.get(r.id) ?? []),
		tags: t.get(r.id) ?? [],
		comments: c.get(r.id) ?? 0
	}));
}

/** Every post and page of the lab, for those who write (all states). */
export async function listAllPosts(
	db: Kysely<Database>,
	ctx: LabContext,
	f: { state?: PostState; page?: number }
): Promise<{ rows: PostSummary[]; total: number }> {
	authorize(ctx.role, 'journal.write');
	await publishDue(db, ctx.lab.id);
	let q = db.selectFrom('post').where('lab_id', '=', ctx.lab.id);
	if (f.state) q = q.where('state', '=', f.state);
	const page = Math.max(1, f.page ?? 1);
	const [rows, total] = await Promise.all([
		q
			.selectAll()
			.orderBy('updated_at', 'desc')
			.limit(50)
			.offset((page - 1) * 50)
			.execute(),
		q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
	]);
	return { rows: await decorate(db, rows), total: toCount(total.n) };
}

export async function getPost(db: Kysely<Database>, ctx: LabContext, id: string): Promise<PostDetail> {
	authorize(ctx.role, 'journal.write');
	const row = await db.selectFrom('post').where('id', '=', id).where('lab_id', '=', ctx.lab.id).selectAll().executeTakeFirst();
	if (!row) throw new DomainError('journal.notFound', 404);
	return detail(db, row);
}

export async function detail(db: Kysely<Database>, row: Database['post']): Promise<PostDetail> {
	const [summary] = await decorate(db, [row]);
	const authors = await db.selectFrom('post_author').where('post_id', '=', row.id).select('person_id').orderBy('position').execute();
	return {
		...summary!,
		body: row.body,
		byLab: row.by_lab === 1,
		commentsOpen: row.comments_open === 1,
		version: row.version,
		previewExpiresAt: row.preview_expires_at,
		authorPersonIds: authors.map((x) => x.person_id).filter((x): x is string => Boolean(x))
	};
}

export {
	type PublicFilter,
	issuePreviewLink,
	journalStamp,
	previewPost,
	previewPostId,
	publicBacklinks,
	publicPost,
	publicPostById,
	publicPosts,
	renderPublicBody,
	seriesList,
	sitemapEntries
} from './public-posts';
