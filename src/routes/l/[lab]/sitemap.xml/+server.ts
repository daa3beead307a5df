import { publicOrigin } from '$lib/server/env';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab } from '$lib/server/http';
import { seriesList, sitemapEntries } from '$lib/server/journal/posts.service';

/** Everything a search engine may index for this lab. */
export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	const db = getDb();
	const [e, series] = await Promise.all([sitemapEntries(db, ctx.lab), seriesList(db, ctx.lab.id)]);
	const base = `${publicOrigin()}/l/${ctx.lab.slug}`;
	const url = (loc: string, lastmod?: string) => `  <url><loc>${loc.replace(/&/g, '&amp;')}</loc>${lastmod ? `<lastmod>${lastmod.slice(0, 10)}</lastmod>` : ''}</url>`;
	const xml = [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
		url(base),
		url(`${base}/journal`, e.posts[0]?.updated_at),
		...series.map((s) => url(`${base}/journal/serie/${encodeURIComponent(s.series)}`)),
		...e.posts.map((p) => url(`${base}/journal/${p.slug}`, p.updated_at)),
		...e.knowledge.map((k) => url(`${base}/public/knowledge/${k.id}`, k.updated_at)),
		...e.experiments.map((x) => url(`${base}/public/experiments/${x.id}`, x.updated_at)),
		'</urlset>',
		''
	].join('\n');
	return new Response(xml, { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
};
