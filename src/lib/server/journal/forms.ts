import type { RequestEvent } from '@sveltejs/kit';
import { getDb } from '../db';
import { parseForm } from '../http';
import type { LabContext } from '../labs/labs.service';
import type { PostInput } from './posts.service';
import { postSchema } from '$lib/shared/journal';

/** The post form, with its several author checkboxes, as the service's input. */
export async function readPostForm(event: RequestEvent) {
	const parsed = await parseForm(event, postSchema);
	if (!parsed.ok) return parsed;
	const authorPersonIds = parsed.form.getAll('author').map(String);
	const values = { ...parsed.values, author: '', authors: authorPersonIds.join(','), byLab: parsed.data.byLab ?? '', commentsOpen: parsed.data.commentsOpen ?? '' };
	const input: PostInput = {
		kind: parsed.data.kind,
		title: parsed.data.title,
		slug: parsed.data.slug,
		series: parsed.data.series,
		episode: parsed.data.episode,
		excerpt: parsed.data.excerpt,
		body: parsed.data.body,
		tags: parsed.data.tags,
		authorPersonIds,
		byLab: parsed.data.byLab === 'on',
		coverFileId: parsed.data.coverFileId || null,
		commentsOpen: parsed.data.commentsOpen === 'on'
	};
	return { ok: true as const, input, values, form: parsed.form };
}

/** The lab's members who may sign a post. */
export async function possibleAuthors(ctx: LabContext) {
	const rows = await getDb()
		.selectFrom('membership as m')
		.innerJoin('account as a', 'a.id', 'm.account_id')
		.innerJoin('person as p', 'p.id', 'a.person_id')
		.where('m.lab_id', '=', ctx.lab.id)
		.select(['p.id', 'p.name'])
		.orderBy('p.name')
		.limit(500)
		.execute();
	return rows.map((r) => ({ personId: r.id, name: r.name }));
}
