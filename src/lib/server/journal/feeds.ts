import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { LabSummary } from '../labs';
import { publicPosts, renderPublicBody } from './posts.service';
import { displayTitle } from '$lib/shared/journal';

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
/** Links inside a feed must stand on their own: site-relative addresses become absolute. */
const absolute = (html: string, origin: string) => html.replace(/(href|src)="\//g, `$1="${origin}/`);

/** An Atom 1.0 feed of the lab's journal, or of one series: the 20 latest posts, full text. */
export async function atomFeed(db: Kysely<Database>, lab: LabSummary, origin: string, series?: string): Promise<{ xml: string; updated: string }> {
	const { rows } = await publicPosts(db, lab, { series, page: 1 });
	const posts = await db
		.selectFrom('post')
		.where('id', 'in', rows.length ? rows.map((r) => r.id) : [''])
		.select(['id', 'body', 'updated_at'])
		.execute();
	const bodyOf = new Map(posts.map((p) => [p.id, p]));
	const base = `${origin}/l/${lab.slug}/journal`;
	const self = series ? `${base}/serie/${encodeURIComponent(series)}/feed.atom` : `${base}/feed.atom`;
	const updated = posts.reduce((m, p) => (p.updated_at > m ? p.updated_at : m), '1970-01-01T00:00:00.000Z');
	const entries = await Promise.all(
		rows.map(async (r) => {
			const html = absolute(await renderPublicBody(db, lab, bodyOf.get(r.id)?.body ?? ''), origin);
			const authors = r.authors.length ? r.authors : [lab.name];
			return [
				'  <entry>',
				`    <id>urn:uuid:${r.id}</id>`,
				`    <title>${esc(displayTitle(r))}</title>`,
				`    <link rel="alternate" type="text/html" href="${esc(`${base}/${r.slug}`)}"/>`,
				`    <published>${r.publishedAt ?? r.updatedAt}</published>`,
				`    <updated>${bodyOf.get(r.id)?.updated_at ?? r.updatedAt}</updated>`,
				...authors.map((a) => `    <author><name>${esc(a)}</name></author>`),
				...r.tags.map((tag) => `    <category term="${esc(tag)}"/>`),
				...(r.excerpt ? [`    <summary>${esc(r.excerpt)}</summary>`] : []),
				`    <content type="html">${esc(html)}</content>`,
				'  </entry>'
			].join('\n');
		})
	);
	const xml = [
		'<?xml version="1.0" encoding="utf-8"?>',
		'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">',
		`  <id>${esc(self)}</id>`,
		`  <title>${esc(series ? `${lab.name} — ${series}` : `${lab.name} — Journal`)}</title>`,
		`  <link rel="self" type="application/atom+xml" href="${esc(self)}"/>`,
		`  <link rel="alternate" type="text/html" href="${esc(series ? `${base}/serie/${encodeURIComponent(series)}` : base)}"/>`,
		`  <updated>${updated}</updated>`,
		`  <author><name>${esc(lab.name)}</name></author>`,
		`  <generator>Labo</generator>`,
		...entries,
		'</feed>',
		''
	].join('\n');
	return { xml, updated };
}
