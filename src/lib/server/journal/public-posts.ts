/**
 * The journal as visitors read it: published posts by page, series and tag, one post by its
 * address, preview links for drafts, the sitemap, the validators of the public pages, and the
 * rendering of a public body with its links.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, nowIso, toCount } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import { resolveRefs, type Backlink } from '../links';
import { parseRefs, renderMarkdown } from '../markdown/markdown';
import { hashToken, newToken } from '../auth';
import type { LabContext, LabSummary } from '../labs';
import { publicKnowledgeDates, publicKnowledgeIds } from '../knowledge';
import { publishedExperimentDates, publishedExperimentIds } from '../experiments';
import { linkSources } from '../links';
import { JOURNAL_PAGE_SIZE, PREVIEW_LINK_TTL_MS, type PostDetail, type PostSummary, decorate, detail, publishDue } from './posts.service';

// ——— Public side ———

export interface PublicFilter {
	series?: string;
	tag?: string;
	page?: number;
}

/** Published posts, newest first (or by episode within a series). */
export async function publicPosts(
	db: Kysely<Database>,
	lab: LabSummary,
	f: PublicFilter
): Promise<{ rows: PostSummary[]; total: number; lastModified: string | null }> {
	await publishDue(db, lab.id);
	let q = db.selectFrom('post').where('lab_id', '=', lab.id).where('state', '=', 'published').where('kind', '=', 'post');
	if (f.series) q = q.where('series', '=', f.series);
	if (f.tag) {
		const tag = f.tag;
		q = q.where((eb) => eb.exists(eb.selectFrom('post_tag as t').whereRef('t.post_id', '=', 'post.id').where('t.tag', '=', tag).select('t.tag')));
	}
	const page = Math.max(1, f.page ?? 1);
	let ordered = q.selectAll();
	ordered = f.series ? ordered.orderBy('episode_sort', 'desc').orderBy('published_at', 'desc') : ordered.orderBy('published_at', 'desc');
	const [rows, total] = await Promise.all([
		ordered
			.orderBy('id')
			.limit(JOURNAL_PAGE_SIZE)
			.offset((page - 1) * JOURNAL_PAGE_SIZE)
			.execute(),
		q.select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('updated_at').as('last')]).executeTakeFirstOrThrow()
	]);
	return { rows: await decorate(db, rows), total: toCount(total.n), lastModified: (total.last as string | null) ?? null };
}

/** A published post or page by its address; null when there is none (or not yet). */
export async function publicPost(db: Kysely<Database>, lab: LabSummary, slug: string): Promise<PostDetail | null> {
	await publishDue(db, lab.id);
	const row = await db.selectFrom('post').where('lab_id', '=', lab.id).where('slug', '=', slug).where('state', '=', 'published').selectAll().executeTakeFirst();
	return row ? detail(db, row) : null;
}

/** A post by its id (links store ids); null unless published. */
export async function publicPostById(db: Kysely<Database>, lab: LabSummary, id: string): Promise<{ slug: string; kind: string } | null> {
	const row = await db
		.selectFrom('post')
		.where('lab_id', '=', lab.id)
		.where('id', '=', id)
		.where('state', '=', 'published')
		.select(['slug', 'kind'])
		.executeTakeFirst();
	return row ?? null;
}

/**
 * A new preview link for a post: shown once to whoever asked (only its hash is kept), valid
 * PREVIEW_LINK_TTL_MS; the previous link stops working.
 */
export async function issuePreviewLink(db: Kysely<Database>, ctx: LabContext, id: string): Promise<{ token: string; expiresAt: string }> {
	authorize(ctx.role, 'journal.write');
	const token = newToken();
	const expiresAt = new Date(Date.now() + PREVIEW_LINK_TTL_MS).toISOString();
	return inTransaction(db, async (trx) => {
		const r = await trx
			.updateTable('post')
			.set({ preview_token_hash: hashToken(token), preview_expires_at: expiresAt })
			.where('id', '=', id)
			.where('lab_id', '=', ctx.lab.id)
			.executeTakeFirst();
		if (!Number(r.numUpdatedRows)) throw new DomainError('journal.notFound', 404);
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'post.previewLink',
			subjectType: 'post',
			subjectId: id,
			summary: { expiresAt }
		});
		return { token, expiresAt };
	});
}

/** The post a live preview link opens, in this lab (its id and row); null when unknown or expired. */
async function previewRow(db: Kysely<Database>, labId: string, previewToken: string) {
	if (previewToken.length < 16 || previewToken.length > 200) return null;
	const row = await db
		.selectFrom('post')
		.where('lab_id', '=', labId)
		.where('preview_token_hash', '=', hashToken(previewToken))
		.where('preview_expires_at', '>', nowIso())
		.selectAll()
		.executeTakeFirst();
	return row ?? null;
}

/** A draft shared with reviewers by its preview link (any state), while the link is valid. */
export async function previewPost(db: Kysely<Database>, lab: LabSummary, previewToken: string): Promise<PostDetail | null> {
	const row = await previewRow(db, lab.id, previewToken);
	return row ? detail(db, row) : null;
}

/** The id of the post a live preview link opens (for the images it shows); null otherwise. */
export async function previewPostId(db: Kysely<Database>, labId: string, previewToken: string): Promise<string | null> {
	return (await previewRow(db, labId, previewToken))?.id ?? null;
}

export async function seriesList(db: Kysely<Database>, labId: string): Promise<{ series: string; n: number }[]> {
	const rows = await db
		.selectFrom('post')
		.where('lab_id', '=', labId)
		.where('state', '=', 'published')
		.where('series', '!=', '')
		.select('series')
		.select((eb) => eb.fn.countAll().as('n'))
		.groupBy('series')
		.orderBy('series')
		.execute();
	return rows.map((r) => ({ series: r.series, n: toCount(r.n) }));
}

/** Everything public of a lab, with its last change, for the sitemap. */
export async function sitemapEntries(db: Kysely<Database>, lab: LabSummary) {
	await publishDue(db, lab.id);
	const [posts, knowledge, experiments] = await Promise.all([
		db
			.selectFrom('post')
			.where('lab_id', '=', lab.id)
			.where('state', '=', 'published')
			.select(['slug', 'updated_at'])
			.orderBy('published_at', 'desc')
			.limit(40_000)
			.execute(),
		publicKnowledgeDates(db, lab.id, 5000),
		publishedExperimentDates(db, lab.id, 5000)
	]);
	return { posts, knowledge, experiments };
}

/**
 * When anything public of the journal last changed (for ETag / Last-Modified): published posts
 * and approved comments on them only, so editing a draft or a comment waiting for moderation
 * changes nothing a visitor can observe. A post or comment leaving the public side changes the
 * counts.
 */
export async function journalStamp(db: Kysely<Database>, labId: string): Promise<string> {
	const [p, c] = await Promise.all([
		db
			.selectFrom('post')
			.where('lab_id', '=', labId)
			.where('state', '=', 'published')
			.select((eb) => [eb.fn.max('updated_at').as('t'), eb.fn.countAll().as('n')])
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('comment as c')
			.innerJoin('post as p', 'p.id', 'c.post_id')
			.where('c.lab_id', '=', labId)
			.where('c.state', '=', 'approved')
			.where('p.state', '=', 'published')
			.select((eb) => [eb.fn.max(sql<string>`coalesce(c.moderated_at, c.created_at)`).as('t'), eb.fn.countAll().as('n')])
			.executeTakeFirstOrThrow()
	]);
	return `${p.t ?? ''}|${toCount(p.n)}|${c.t ?? ''}|${toCount(c.n)}`;
}

/**
 * Markdown of a post → safe HTML for the public site: references become links only to what is
 * public (published posts, public knowledge items, published experiments); anything else
 * stays plain text so a visitor never meets a members-only page.
 */
export async function renderPublicBody(db: Kysely<Database>, lab: LabSummary, text: string): Promise<string> {
	const refs = parseRefs(text);
	const resolved = await resolveRefs(db, lab.id, refs).catch(() => new Map<string, Backlink>());
	const ids = (type: string) => [...resolved.values()].filter((t) => t.type === type).map((t) => t.id);
	const [posts, knowledge, experiments] = await Promise.all([
		ids('post').length ? db.selectFrom('post').where('id', 'in', ids('post')).where('state', '=', 'published').select(['id', 'slug']).execute() : [],
		publicKnowledgeIds(db, ids('knowledge')),
		publishedExperimentIds(db, ids('experiment'))
	]);
	const postSlug = new Map(posts.map((p) => [p.id, p.slug]));
	const pub = new Set([...knowledge.map((id) => `knowledge:${id}`), ...experiments.map((id) => `experiment:${id}`)]);
	return renderMarkdown(
		text,
		(ref) => {
			const t = resolved.get(ref.raw);
			if (!t) return null;
			const label = ref.title ?? t.title;
			if (t.type === 'post') return postSlug.has(t.id) ? { href: `/l/${lab.slug}/journal/${postSlug.get(t.id)}`, label } : null;
			if (pub.has(`${t.type}:${t.id}`)) return { href: `/l/${lab.slug}/public/${t.type === 'knowledge' ? 'knowledge' : 'experiments'}/${t.id}`, label };
			return null;
		},
		{ images: true }
	);
}

/** Published posts that mention this record (the public "mentioned in"). */
export async function publicBacklinks(db: Kysely<Database>, labId: string, target: { type: string; id: string }) {
	return db
		.selectFrom('post as p')
		.where('p.id', 'in', linkSources(labId, 'post', target))
		.where('p.state', '=', 'published')
		.select(['p.slug', 'p.title', 'p.series', 'p.episode'])
		.orderBy('p.published_at', 'desc')
		.execute();
}
