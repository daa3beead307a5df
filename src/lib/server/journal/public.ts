import type { RequestEvent } from '@sveltejs/kit';
import { getDb } from '../db';
import { guardLab, pageParam } from '../http';
import { can } from '../policy';
import { JOURNAL_PAGE_SIZE, publicPosts, seriesList, type PublicFilter } from './posts.service';

/** What every public journal list page loads: the posts of a filter, the series, the feeds. */
export async function journalListing(event: RequestEvent, filter: Omit<PublicFilter, 'page'>) {
	const ctx = await guardLab(event, 'lab.viewPublic');
	const db = getDb();
	const page = pageParam(event.url);
	const [list, series] = await Promise.all([publicPosts(db, ctx.lab, { ...filter, page }), seriesList(db, ctx.lab.id)]);
	if (list.lastModified) event.setHeaders({ 'Last-Modified': new Date(list.lastModified).toUTCString() });
	return { list, series, page, pageSize: JOURNAL_PAGE_SIZE, filter, canWrite: can(ctx.role, 'journal.write'), canModerate: can(ctx.role, 'journal.moderate') };
}
