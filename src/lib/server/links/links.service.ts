import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { DomainError } from '../errors';
import { can } from '../policy';
import { visibleTo } from '../policy/scopes';
import { parseRefs, type Ref } from '../markdown/markdown';
import type { LabContext } from '../labs';
import { eventsByTitle, eventTitles } from '../events';
import { experimentsByTitle, experimentTitles } from '../experiments';
import { knowledgeByTitle, knowledgeTitles } from '../knowledge';
import { postsByEpisode, postsByTitle, postTitles } from '../journal';

export type LinkType = 'knowledge' | 'event' | 'experiment' | 'post';
export interface LinkTarget {
	type: LinkType;
	id: string;
}
export interface Backlink extends LinkTarget {
	title: string;
}

type Titled = { id: string; lab_id: string; title: string };
/** Each linkable domain's lookups: records by id (any lab), and the lab's records by lower-cased title. */
const BY_ID: Record<LinkType, (db: Kysely<Database>, ids: string[]) => Promise<Titled[]>> = {
	knowledge: (db, ids) => knowledgeTitles(db, ids),
	event: (db, ids) => eventTitles(db, ids),
	experiment: (db, ids) => experimentTitles(db, ids),
	post: (db, ids) => postTitles(db, ids)
};
const BY_TITLE: Record<LinkType, (db: Kysely<Database>, labId: string, lowered: string[]) => Promise<{ id: string; title: string }[]>> = {
	knowledge: (db, labId, lowered) => knowledgeByTitle(db, labId, lowered),
	event: (db, labId, lowered) => eventsByTitle(db, labId, lowered),
	experiment: (db, labId, lowered) => experimentsByTitle(db, labId, lowered),
	post: (db, labId, lowered) => postsByTitle(db, labId, lowered)
};
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
	const typed = refs.filter((x) => x.id && x.type);
	// One lookup per type for all its ids, then the references in their order (the first bad one is reported).
	const found = new Map<string, Titled>();
	await Promise.all(
		(Object.keys(BY_ID) as LinkType[]).map(async (type) => {
			const ids = typed.filter((r) => r.type === type).map((r) => r.id!);
			if (ids.length) for (const row of await BY_ID[type](db, ids)) found.set(`${type}:${row.id}`, row);
		})
	);
	for (const r of typed) {
		const type = r.type as LinkType;
		const row = found.get(`${type}:${r.id}`);
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
			const rows = await BY_TITLE[type](db, labId, wanted);
			for (const r of missing) {
				const row = rows.find((x) => x.title.toLowerCase() === r.title!.toLowerCase());
				if (row) out.set(r.raw, { type, id: row.id, title: row.title });
			}
		}
		const left = titled.filter((r) => !out.has(r.raw));
		if (left.length) {
			// "Semaine 9.2" or "blog 9.2": the episode is the last word; only those posts are read.
			const episodes = [...new Set(left.map((r) => r.title!.trim().split(/\s+/).at(-1)!))];
			const posts = await postsByEpisode(db, labId, episodes);
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
	const rows = await db
		.selectFrom('link')
		.where('to_type', '=', target.type)
		.where('to_id', '=', target.id)
		.where('lab_id', '=', ctx.lab.id)
		.select(['from_type', 'from_id'])
		.execute();
	const from = (type: LinkType) => rows.filter((r) => r.from_type === type).map((r) => r.from_id);
	const [knowledge, events, experiments, posts] = await Promise.all([
		can(ctx.role, 'knowledge.view') ? knowledgeTitles(db, from('knowledge'), visibleTo(ctx.role)) : [],
		can(ctx.role, 'events.view') ? eventTitles(db, from('event')) : [],
		// Partners and sponsors: only the experiments they are listed on.
		can(ctx.role, 'experiments.view') ? experimentTitles(db, from('experiment'), ctx) : [],
		// Posts: published ones for everyone, drafts too for those who write.
		postTitles(db, from('post'), { publishedOnly: !can(ctx.role, 'journal.write') })
	]);
	const entry = (type: LinkType) => (r: Titled) => ({ type, id: r.id, title: r.title });
	return [...knowledge.map(entry('knowledge')), ...events.map(entry('event')), ...experiments.map(entry('experiment')), ...posts.map(entry('post'))].sort(
		(a, b) => a.title.localeCompare(b.title, 'fr')
	);
}
