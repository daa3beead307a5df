import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { dialectOf } from '../db';
import type { LabContext } from '../labs';
import { authorize, can } from '../policy';
import { visibleTo, type Visibility } from '../policy/scopes';
import { markdownToText } from '../markdown/markdown';
import { fold, HIT_END, HIT_START, parseQuery } from '$lib/shared/search-query';
import type { MessageKey } from '$lib/i18n';

export type DocType = 'knowledge' | 'event' | 'experiment' | 'post';
export type { Visibility } from '../policy/scopes';

/** What a module hands the search index for one record. */
export interface SearchDoc {
	type: DocType;
	id: string;
	labId: string;
	title: string;
	body: string;
	subtype?: string;
	status?: string;
	visibility: Visibility;
	date: string;
	tags?: string[];
}

export interface SearchFilter {
	q: string;
	types?: DocType[];
	subtype?: string;
	status?: string;
	tag?: string;
	from?: string;
	to?: string;
	limit?: number;
	/** Set by search() from the caller's role: leaves out posts that are not published. */
	hideDrafts?: boolean;
}

export interface SearchHit {
	type: DocType;
	id: string;
	title: string;
	subtype: string;
	status: string;
	date: string;
	/** Escaped HTML with <mark> around matched words. */
	snippet: string;
}

export type SearchResult = { hits: SearchHit[]; explanation: null } | { hits: []; explanation: MessageKey };

/** Above this many matches, only the newest are ranked: broad queries stay fast (decision 005). */
export const CANDIDATES = 2000;

const labToken = (labId: string) => 'l' + labId.replace(/-/g, '');

/** Adds or replaces a record in the index (call it in the record's own transaction). */
export async function indexDocument(db: Kysely<Database>, doc: SearchDoc): Promise<void> {
	// Bodies are markdown: indexed (and cut into snippets) as the plain text a reader sees.
	const d = { ...doc, body: markdownToText(doc.body) };
	const row = {
		doc_type: d.type,
		doc_id: d.id,
		lab_id: d.labId,
		title: d.title,
		body: d.body,
		subtype: d.subtype ?? '',
		status: d.status ?? '',
		visibility: d.visibility,
		doc_date: d.date,
		tags: (d.tags ?? []).join(' '),
		audience: '',
		fts_rowid: null
	};
	await db
		.insertInto('search_document')
		.values(row)
		.onConflict((oc) => oc.columns(['doc_type', 'doc_id']).doUpdateSet({ ...row, fts_rowid: undefined }))
		.execute();
	if (dialectOf(db) === 'sqlite') {
		const prev = await db.selectFrom('search_document').where('doc_type', '=', d.type).where('doc_id', '=', d.id).select('fts_rowid').executeTakeFirst();
		if (prev?.fts_rowid != null) await sql`delete from search_fts where rowid = ${prev.fts_rowid}`.execute(db);
		const ins = await sql`insert into search_fts (lab, vis, title, body) values (${labToken(d.labId)}, ${d.visibility}, ${d.title}, ${d.body})`.execute(db);
		await db
			.updateTable('search_document')
			.set({ fts_rowid: Number(ins.insertId) })
			.where('doc_type', '=', d.type)
			.where('doc_id', '=', d.id)
			.execute();
	}
}

export async function removeDocument(db: Kysely<Database>, type: DocType, id: string): Promise<void> {
	if (dialectOf(db) === 'sqlite') {
		const prev = await db.selectFrom('search_document').where('doc_type', '=', type).where('doc_id', '=', id).select('fts_rowid').executeTakeFirst();
		if (prev?.fts_rowid != null) await sql`delete from search_fts where rowid = ${prev.fts_rowid}`.execute(db);
	}
	await db.deleteFrom('search_document').where('doc_type', '=', type).where('doc_id', '=', id).execute();
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
function markHits(raw: string): string {
	return escapeHtml(raw).replaceAll(HIT_START, '<mark>').replaceAll(HIT_END, '</mark>');
}

/**
 * Full-text search over one lab, French-aware: accents ignored on both databases, French
 * stemming (plurals) on PostgreSQL, prefix matching on both. Only what the caller's role may
 * see is returned. A query of stop words or symbols gets an explanation, not an error.
 */
export async function search(db: Kysely<Database>, ctx: LabContext, f: SearchFilter): Promise<SearchResult> {
	authorize(ctx.role, 'search.use');
	const parsed = parseQuery(f.q);
	if (!parsed.ok) return { hits: [], explanation: parsed.reason };
	const limit = Math.min(Math.max(f.limit ?? 30, 1), 100);
	const visibility = visibleTo(ctx.role);
	// A post not yet published is found only by those who may edit it.
	f = { ...f, hideDrafts: visibility.includes('lab') && !can(ctx.role, 'journal.write') };
	const rows =
		dialectOf(db) === 'postgres'
			? await searchPg(db, ctx.lab.id, parsed.terms, visibility, f, limit)
			: await searchSqlite(db, ctx.lab.id, parsed.terms, visibility, f, limit);
	return {
		hits: rows.map((r) => ({
			type: r.doc_type as DocType,
			id: r.doc_id,
			title: r.title,
			subtype: r.subtype,
			status: r.status,
			date: r.doc_date,
			snippet: markHits(r.snip ?? '')
		})),
		explanation: null
	};
}

interface Row {
	doc_type: string;
	doc_id: string;
	title: string;
	subtype: string;
	status: string;
	doc_date: string;
	snip: string | null;
}

function filters(f: SearchFilter, visibility: Visibility[]) {
	const parts = [sql`d.visibility in (${sql.join(visibility)})`];
	if (f.types?.length) parts.push(sql`d.doc_type in (${sql.join(f.types)})`);
	if (f.subtype) parts.push(sql`d.subtype = ${f.subtype}`);
	if (f.status) parts.push(sql`d.status = ${f.status}`);
	if (f.tag) parts.push(sql`(' ' || d.tags || ' ') like ${'% ' + f.tag.replace(/[\\%_]/g, (c) => '\\' + c) + ' %'} escape '\\'`);
	if (f.from) parts.push(sql`d.doc_date >= ${f.from}`);
	if (f.to) parts.push(sql`d.doc_date <= ${f.to + 'T23:59:59.999Z'}`);
	if (f.hideDrafts) parts.push(sql`not (d.doc_type = 'post' and d.visibility <> 'public')`);
	return sql.join(parts, sql` and `);
}

async function searchSqlite(db: Kysely<Database>, labId: string, terms: string[], visibility: Visibility[], f: SearchFilter, limit: number): Promise<Row[]> {
	// Terms are letters and digits only (parseQuery), so quoting them is enough. A final s/x is
	// dropped before the prefix match, so "ateliers" also finds "atelier" (a light plural rule;
	// PostgreSQL stems properly). Lab and visibility are FTS tokens: the index filters on them.
	const prefix = (t: string) => (t.length > 3 && /[sx]$/.test(t) ? t.slice(0, -1) : t);
	const everything = visibility.length === 3;
	const match = `lab : ${labToken(labId)}${everything ? '' : ` AND vis : (${visibility.join(' OR ')})`} AND {title body} : (${terms.map((t) => `"${prefix(t)}"*`).join(' AND ')})`;
	const extra = Boolean(f.types?.length || f.subtype || f.status || f.tag || f.from || f.to);
	// Drafts (few) are left out of the fast path by their rowids.
	const drafts = f.hideDrafts
		? sql` and rowid not in (select fts_rowid from search_document where lab_id = ${labId} and doc_type = 'post' and visibility <> 'public' and fts_rowid is not null)`
		: sql``;
	// Step 1: the best rows by rank. FTS5 ranks every match before it sorts, so a broad query
	// ranks only its newest CANDIDATES matches, sorted here (exact below that; decision 005).
	const top = extra
		? (
				await sql<{ rowid: number }>`
					select f.rowid as rowid from search_fts f
					join search_document d on d.fts_rowid = f.rowid
					where search_fts match ${match} and ${filters(f, visibility)}
					order by f.rank limit ${limit}`.execute(db)
			).rows
		: (
				await sql<{
					rowid: number;
					rank: number;
				}>`select rowid, rank from search_fts where search_fts match ${match}${drafts} order by rowid desc limit ${CANDIDATES}`.execute(db)
			).rows
				.sort((a, b) => a.rank - b.rank || b.rowid - a.rowid)
				.slice(0, limit);
	const ids = [...new Set(top.map((r) => r.rowid))];
	if (ids.length === 0) return [];
	// Step 2: those documents, with a snippet cut around the first matches.
	const docs = await db
		.selectFrom('search_document')
		.where('fts_rowid', 'in', ids)
		.select(['fts_rowid', 'doc_type', 'doc_id', 'title', 'subtype', 'status', 'doc_date', 'body'])
		.execute();
	const byRowid = new Map(docs.map((d) => [d.fts_rowid!, d]));
	return ids.flatMap((id) => {
		const d = byRowid.get(id);
		return d ? [{ ...d, snip: snippetOf(d.body, terms.map(prefix)) }] : [];
	});
}

/** About 24 words of `text` around the first words that start with a term, matches marked. */
export function snippetOf(text: string, terms: string[], words = 24): string {
	const tokens = [...text.matchAll(/[\p{L}\p{N}]+/gu)];
	const isHit = (w: string) => {
		const f = fold(w);
		return terms.some((t) => f.startsWith(t));
	};
	const first = Math.max(
		0,
		tokens.findIndex((m) => isHit(m[0]))
	);
	const from = Math.max(0, first - Math.floor(words / 3));
	const to = Math.min(tokens.length, from + words);
	if (tokens.length === 0) return '';
	const start = tokens[from]!.index!;
	const end = to < tokens.length ? tokens[to - 1]!.index! + tokens[to - 1]![0].length : text.length;
	let out = '';
	let pos = start;
	for (const m of tokens.slice(from, to)) {
		out += text.slice(pos, m.index!);
		out += isHit(m[0]) ? HIT_START + m[0] + HIT_END : m[0];
		pos = m.index! + m[0].length;
	}
	out += text.slice(pos, end);
	return (from > 0 ? '… ' : '') + out.trim() + (to < tokens.length ? ' …' : '');
}

// PostgreSQL ranks the first CANDIDATES matches the index hands back (ordering them by date
// first would read every match; see decision 005).
async function searchPg(db: Kysely<Database>, labId: string, terms: string[], visibility: Visibility[], f: SearchFilter, limit: number): Promise<Row[]> {
	const tsquery = terms.map((t) => `${t}:*`).join(' & ');
	const r = await sql<Row>`
		with q as (select to_tsquery('labo_french', ${tsquery}) as q),
		candidates as (
			select d.doc_type, d.doc_id, d.title, d.subtype, d.status, d.doc_date, d.body, d.tsv
			from search_document d, q
			where d.lab_id = ${labId} and d.tsv @@ q.q and ${filters(f, visibility)}
			limit ${CANDIDATES}
		),
		top as (
			select c.doc_type, c.doc_id, c.title, c.subtype, c.status, c.doc_date, c.body, ts_rank(c.tsv, q.q) as rank
			from candidates c, q
			order by rank desc
			limit ${limit}
		)
		select top.doc_type, top.doc_id, top.title, top.subtype, top.status, top.doc_date,
			ts_headline('labo_french', top.body, q.q, ${`StartSel=${HIT_START}, StopSel=${HIT_END}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`}) as snip
		from top, q
		order by top.rank desc`.execute(db);
	return r.rows;
}
