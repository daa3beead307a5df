import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { DomainError } from '../errors';
import { can } from '../policy';
import { experimentScope, visibleTo } from '../policy/scopes';
import { parseRefs, type Ref } from '../markdown/markdown';
import type { LabContext } from '../labs';

export type LinkType = 'knowledge' | 'event' | 'experiment' | 'post';
export interface LinkTarget {
	type: LinkType;
	id: string;
}
export interface Backlink extends LinkTarget {
	title: string;
}

const TABLE = { knowledge: 'knowledge_item', event: 'event', experiment: 'experiment', post: 'post' } as const;
export const pathOf = (slug: string, t: LinkTarget): string =>
	`/l/${slug}/${t.type === 'knowledge' ? 'knowledge' : t.type === 'event' ? 'events' : t.type === 'post' ? 'journal' : 'experiments'}/${t.id}`;

/**
 * Resolves the inline references of a text to records of the same lab: [[type:id]] must exist
 * in this lab (another lab's id is refused); [[Title]] matches a knowledge item, event,
 * experiment or journal post title, case ignored (knowledge first), and a post is also found by
 * its series and episode ("[[Semaine 7.2]]"). Unmatched titles stay plain text.
 */
export async function resolveRefs(db: Kysely<Database>, labId: string, refs: Ref[]): Promise<Map<string, Backlink>> {
	const out = new Map<string, Backlink>();
	for (const r of refs.filter((x) => x.id && x.type)) {
		const type = r.type as LinkType;
		const row = await db.selectFrom(TABLE[type]).where('id', '=', r.id!).select(['id', 'lab_id', 'title']).executeTakeFirst();
		if (!row) throw new DomainError('link.unknown', 400, { ref: r.raw }, 'body');
		if (row.lab_id !== labId) throw new DomainError('link.otherLab', 400, { ref: r.raw }, 'body');
		out.set(r.raw, { type, id: row.id, title: row.title });
	}
	const titled = refs.filter((x) => x.title);
	if (titled.length) {
		const wanted = titled.map((r) => r.title!.toLowerCase());
		for (const type of ['knowledge', 'event', 'experiment', 'post'] as const) {
			const missing = titled.filter((r) => !out.has(r.raw));
			if (!missing.length) break;
			const rows = await db
				.selectFrom(TABLE[type])
				.where('lab_id', '=', labId)
				.where((eb) => eb(eb.fn('lower', ['title']), 'in', wanted))
				.select(['id', 'title'])
				.execute();
			for (const r of missing) {
				const row = rows.find((x) => x.title.toLowerCase() === r.title!.toLowerCase());
				if (row) out.set(r.raw, { type, id: row.id, title: row.title });
			}
		}
		const left = titled.filter((r) => !out.has(r.raw));
		if (left.length) {
			// "Semaine 9.2" or "blog 9.2": the episode is the last word; only those posts are read.
			const episodes = [...new Set(left.map((r) => r.title!.trim().split(/\s+/).at(-1)!))];
			const posts = await db.selectFrom('post').where('lab_id', '=', labId).where('episode', 'in', episodes).select(['id', 'title', 'series', 'episode']).execute();
			for (const r of left) {
				const want = r.title!.toLowerCase().replace(/\s+/g, ' ').trim();
				const row = posts.find((p) => `${p.series} ${p.episode}`.toLowerCase().trim() === want || `blog ${p.episode}`.toLowerCase() === want);
				if (row) out.set(r.raw, { type: 'post', id: row.id, title: `${row.series} ${row.episode}`.trim() });
			}
		}
	}
	return out;
}

/** A resolver for renderMarkdown: inline references of `text` that exist in the lab become links. */
export async function linkResolver(
	db: Kysely<Database>,
	lab: { id: string; slug: string },
	text: string
): Promise<(ref: Ref) => { href: string; label: string } | null> {
	const resolved = await resolveRefs(db, lab.id, parseRefs(text)).catch(() => new Map<string, Backlink>());
	return (ref) => {
		const t = resolved.get(ref.raw);
		return t ? { href: pathOf(lab.slug, t), label: ref.title ?? t.title } : null;
	};
}

/** Rebuilds the links that go out of one record from its text (call it in the record's transaction). */
export async function rebuildLinks(db: Kysely<Database>, labId: string, from: LinkTarget, text: string): Promise<void> {
	const resolved = await resolveRefs(db, labId, parseRefs(text));
	await db.deleteFrom('link').where('from_type', '=', from.type).where('from_id', '=', from.id).execute();
	const targets = [...new Map([...resolved.values()].filter((t) => !(t.type === from.type && t.id === from.id)).map((t) => [`${t.type}:${t.id}`, t])).values()];
	if (targets.length)
		await db
			.insertInto('link')
			.values(targets.map((t) => ({ lab_id: labId, from_type: from.type, from_id: from.id, to_type: t.type, to_id: t.id })))
			.execute();
}

/** "Mentioned in": the records that cite `target`, limited to what the caller may see. */
export async function backlinksOf(db: Kysely<Database>, ctx: LabContext, target: LinkTarget): Promise<Backlink[]> {
	const base = db.selectFrom('link as l').where('l.to_type', '=', target.type).where('l.to_id', '=', target.id).where('l.lab_id', '=', ctx.lab.id);
	const [knowledge, events, experiments, posts] = await Promise.all([
		can(ctx.role, 'knowledge.view')
			? base
					.innerJoin('knowledge_item as k', (j) => j.onRef('k.id', '=', 'l.from_id').on('l.from_type', '=', 'knowledge'))
					.where('k.visibility', 'in', visibleTo(ctx.role))
					.select(['k.id', 'k.title'])
					.execute()
			: [],
		can(ctx.role, 'events.view')
			? base.innerJoin('event as e', (j) => j.onRef('e.id', '=', 'l.from_id').on('l.from_type', '=', 'event')).select(['e.id', 'e.title']).execute()
			: [],
		can(ctx.role, 'experiments.view')
			? base
					.innerJoin('experiment as x', (j) => j.onRef('x.id', '=', 'l.from_id').on('l.from_type', '=', 'experiment'))
					.$call((q) => {
						const scope = experimentScope(db, ctx, 'x.id');
						return scope ? q.where(scope) : q;
					})
					.select(['x.id', 'x.title'])
					.execute()
			: [],
		// Posts: published ones for everyone, drafts too for those who write.
		base
			.innerJoin('post as p', (j) => j.onRef('p.id', '=', 'l.from_id').on('l.from_type', '=', 'post'))
			.$if(!can(ctx.role, 'journal.write'), (q) => q.where('p.state', '=', 'published'))
			.select(['p.id', 'p.title'])
			.execute()
	]);
	return [
		...knowledge.map((r) => ({ type: 'knowledge' as const, ...r })),
		...events.map((r) => ({ type: 'event' as const, ...r })),
		...experiments.map((r) => ({ type: 'experiment' as const, ...r })),
		...posts.map((r) => ({ type: 'post' as const, ...r }))
	].sort((a, b) => a.title.localeCompare(b.title, 'fr'));
}
