import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, newId, nowIso, toCount } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import { indexDocument } from '../search';
import { visibleTo } from '../policy/scopes';
import { renderMarkdown } from '../markdown/markdown';
import { backlinksOf, linkResolver, rebuildLinks } from '../links';
import { accountName } from '../auth';
import { eventTitles } from '../events';
import { experimentTitles } from '../experiments';
export { linkResolver, rebuildLinks };
import type { LabContext } from '../labs';
import type { KnowledgeType, VisibilityLevel } from '$lib/shared/knowledge';
import { bumpContentVersion } from '../publiccache';

export interface KnowledgeInput {
	type: KnowledgeType;
	title: string;
	body: string;
	tags: string[];
	visibility: VisibilityLevel;
	sourceType?: 'event' | 'experiment' | null;
	sourceId?: string | null;
}

export interface KnowledgeSummary {
	id: string;
	type: KnowledgeType;
	title: string;
	visibility: VisibilityLevel;
	tags: string[];
	updatedAt: string;
}

export interface KnowledgeDetail extends KnowledgeSummary {
	body: string;
	html: string;
	version: number;
	createdAt: string;
	source: { type: string; id: string; title: string } | null;
	versions: { version: number; title: string; author: string | null; createdAt: string }[];
	backlinks: { type: string; id: string; title: string }[];
}

async function setTags(db: Kysely<Database>, labId: string, subjectType: string, subjectId: string, tags: string[]) {
	await db.deleteFrom('tag').where('subject_type', '=', subjectType).where('subject_id', '=', subjectId).execute();
	if (tags.length)
		await db
			.insertInto('tag')
			.values(tags.map((tag) => ({ lab_id: labId, subject_type: subjectType, subject_id: subjectId, tag })))
			.execute();
}

/** The event or experiment an item is drawn from, by id, whatever its lab. */
async function sourceRecord(db: Kysely<Database>, type: string, id: string): Promise<{ id: string; lab_id: string; title: string } | undefined> {
	if (type === 'event') return (await eventTitles(db, [id]))[0];
	if (type === 'experiment') return (await experimentTitles(db, [id]))[0];
	return undefined;
}

async function checkSource(db: Kysely<Database>, labId: string, input: KnowledgeInput) {
	if (!input.sourceType || !input.sourceId) return;
	if (input.sourceType !== 'event' && input.sourceType !== 'experiment') return;
	const row = await sourceRecord(db, input.sourceType, input.sourceId);
	if (!row || row.lab_id !== labId) throw new DomainError('link.otherLab', 400, {}, 'source');
}

/** Creates a knowledge item (version 1) with its tags, links and search entry, in one transaction. */
export async function createKnowledge(db: Kysely<Database>, ctx: LabContext, input: KnowledgeInput): Promise<string> {
	authorize(ctx.role, 'knowledge.edit');
	const id = newId();
	const now = nowIso();
	await inTransaction(db, async (trx) => {
		await checkSource(trx, ctx.lab.id, input);
		await trx
			.insertInto('knowledge_item')
			.values({
				id,
				lab_id: ctx.lab.id,
				type: input.type,
				title: input.title,
				body: input.body,
				visibility: input.visibility,
				source_type: input.sourceType ?? null,
				source_id: input.sourceId ?? null,
				version: 1,
				created_by: ctx.actor?.accountId ?? null,
				created_at: now,
				updated_at: now
			})
			.execute();
		await afterWrite(trx, ctx, id, 1, input, now);
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'knowledge.create',
			subjectType: 'knowledge',
			subjectId: id,
			summary: { type: input.type }
		});
		await bumpContentVersion(trx, ctx.lab.id);
	});
	return id;
}

async function afterWrite(trx: Kysely<Database>, ctx: LabContext, id: string, version: number, input: KnowledgeInput, now: string) {
	await trx
		.insertInto('knowledge_version')
		.values({
			id: newId(),
			lab_id: ctx.lab.id,
			item_id: id,
			version,
			type: input.type,
			title: input.title,
			body: input.body,
			tags: JSON.stringify(input.tags),
			visibility: input.visibility,
			author_id: ctx.actor?.accountId ?? null,
			created_at: now
		})
		.execute();
	await setTags(trx, ctx.lab.id, 'knowledge', id, input.tags);
	await rebuildLinks(trx, ctx.lab.id, { type: 'knowledge', id }, input.body);
	await indexDocument(trx, {
		type: 'knowledge',
		id,
		labId: ctx.lab.id,
		title: input.title,
		body: input.body,
		subtype: input.type,
		visibility: input.visibility,
		date: now,
		tags: input.tags
	});
}

/**
 * Saves a new version. `baseVersion` is the version the editor started from: if someone saved
 * in between, the write is refused (nothing is lost: the form keeps the text).
 */
export async function updateKnowledge(db: Kysely<Database>, ctx: LabContext, id: string, baseVersion: number, input: KnowledgeInput): Promise<number> {
	authorize(ctx.role, 'knowledge.edit');
	return inTransaction(db, async (trx) => {
		const now = nowIso();
		const res = await trx
			.updateTable('knowledge_item')
			.set({ type: input.type, title: input.title, body: input.body, visibility: input.visibility, version: baseVersion + 1, updated_at: now })
			.where('id', '=', id)
			.where('lab_id', '=', ctx.lab.id)
			.where('version', '=', baseVersion)
			.executeTakeFirst();
		if (Number(res.numUpdatedRows) !== 1) {
			const exists = await trx.selectFrom('knowledge_item').where('id', '=', id).where('lab_id', '=', ctx.lab.id).select('version').executeTakeFirst();
			if (!exists) throw new DomainError('knowledge.notFound', 404);
			throw new DomainError('knowledge.conflict', 409, { version: exists.version });
		}
		await afterWrite(trx, ctx, id, baseVersion + 1, input, now);
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'knowledge.update',
			subjectType: 'knowledge',
			subjectId: id,
			summary: { version: baseVersion + 1 }
		});
		await bumpContentVersion(trx, ctx.lab.id);
		return baseVersion + 1;
	});
}

async function tagsOf(db: Kysely<Database>, type: string, ids: string[]): Promise<Map<string, string[]>> {
	const map = new Map<string, string[]>();
	if (!ids.length) return map;
	const rows = await db
		.selectFrom('tag')
		.where('subject_type', '=', type)
		.where('subject_id', 'in', ids)
		.select(['subject_id', 'tag'])
		.orderBy('tag')
		.execute();
	for (const r of rows) map.set(r.subject_id, [...(map.get(r.subject_id) ?? []), r.tag]);
	return map;
}

export const KNOWLEDGE_PAGE_SIZE = 50;

export async function listKnowledge(
	db: Kysely<Database>,
	ctx: LabContext,
	f: { type?: KnowledgeType; tag?: string; page?: number }
): Promise<{ rows: KnowledgeSummary[]; total: number; tags: { tag: string; n: number }[] }> {
	authorize(ctx.role, 'knowledge.view');
	let q = db.selectFrom('knowledge_item as k').where('k.lab_id', '=', ctx.lab.id).where('k.visibility', 'in', visibleTo(ctx.role));
	if (f.type) q = q.where('k.type', '=', f.type);
	if (f.tag)
		q = q.where((eb) =>
			eb.exists(
				eb.selectFrom('tag as t').whereRef('t.subject_id', '=', 'k.id').where('t.subject_type', '=', 'knowledge').where('t.tag', '=', f.tag!).select('t.tag')
			)
		);
	const page = Math.max(1, f.page ?? 1);
	const [rows, total, tags] = await Promise.all([
		q
			.select(['k.id', 'k.type', 'k.title', 'k.visibility', 'k.updated_at'])
			.orderBy('k.updated_at', 'desc')
			.orderBy('k.id')
			.limit(KNOWLEDGE_PAGE_SIZE)
			.offset((page - 1) * KNOWLEDGE_PAGE_SIZE)
			.execute(),
		q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
		db
			.selectFrom('tag as t')
			.innerJoin('knowledge_item as k', 'k.id', 't.subject_id')
			.where('t.lab_id', '=', ctx.lab.id)
			.where('t.subject_type', '=', 'knowledge')
			.where('k.visibility', 'in', visibleTo(ctx.role))
			.groupBy('t.tag')
			.select(['t.tag', (eb) => eb.fn.countAll().as('n')])
			.orderBy('t.tag')
			.limit(100)
			.execute()
	]);
	const tagMap = await tagsOf(
		db,
		'knowledge',
		rows.map((r) => r.id)
	);
	return {
		rows: rows.map((r) => ({
			id: r.id,
			type: r.type as KnowledgeType,
			title: r.title,
			visibility: r.visibility as VisibilityLevel,
			tags: tagMap.get(r.id) ?? [],
			updatedAt: r.updated_at
		})),
		total: toCount(total.n),
		tags: tags.map((t) => ({ tag: t.tag, n: toCount(t.n) }))
	};
}

/** One item with its rendered body, versions and backlinks; hidden items are "not found". */
export async function getKnowledge(db: Kysely<Database>, ctx: LabContext, id: string): Promise<KnowledgeDetail> {
	authorize(ctx.role, 'knowledge.view');
	const item = await db
		.selectFrom('knowledge_item')
		.where('id', '=', id)
		.where('lab_id', '=', ctx.lab.id)
		.where('visibility', 'in', visibleTo(ctx.role))
		.selectAll()
		.executeTakeFirst();
	if (!item) throw new DomainError('knowledge.notFound', 404);
	const [tags, versions, backlinks, source, resolved] = await Promise.all([
		tagsOf(db, 'knowledge', [id]),
		db
			.selectFrom('knowledge_version as v')
			.where('v.item_id', '=', id)
			.select((eb) => ['v.version', 'v.title', 'v.created_at', accountName(eb.ref('v.author_id')).as('name')])
			.orderBy('v.version', 'desc')
			.execute(),
		backlinksOf(db, ctx, { type: 'knowledge', id }),
		item.source_type && item.source_id
			? sourceRecord(db, item.source_type, item.source_id).then((r) => (r?.lab_id === ctx.lab.id ? r : undefined))
			: Promise.resolve(undefined),
		linkResolver(db, ctx.lab, item.body)
	]);
	const html = renderMarkdown(item.body, resolved);
	return {
		id: item.id,
		type: item.type as KnowledgeType,
		title: item.title,
		visibility: item.visibility as VisibilityLevel,
		tags: tags.get(id) ?? [],
		updatedAt: item.updated_at,
		body: item.body,
		html,
		version: item.version,
		createdAt: item.created_at,
		source: source && item.source_type ? { type: item.source_type, id: source.id, title: source.title } : null,
		versions: versions.map((v) => ({ version: v.version, title: v.title, author: v.name, createdAt: v.created_at })),
		backlinks
	};
}

/** Titles of the items the caller may see, for pickers. */
export async function knowledgeOptions(db: Kysely<Database>, ctx: LabContext): Promise<{ id: string; title: string; type: KnowledgeType }[]> {
	authorize(ctx.role, 'knowledge.view');
	const rows = await db
		.selectFrom('knowledge_item')
		.where('lab_id', '=', ctx.lab.id)
		.where('visibility', 'in', visibleTo(ctx.role))
		.select(['id', 'title', 'type'])
		.orderBy('title')
		.limit(1000)
		.execute();
	return rows.map((r) => ({ ...r, type: r.type as KnowledgeType }));
}
