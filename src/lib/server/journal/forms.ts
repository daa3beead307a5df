import type { RequestEvent } from '@sveltejs/kit';
import { parseForm } from '../http';
import type { PostInput } from './posts.service';
import { postSchema } from '$lib/shared/journal';

/** The post form, with its several author checkboxes, as the service's input. */
export async function readPostForm(event: RequestEvent) {
	const parsed = await parseForm(event, postSchema);
	if (!parsed.ok) return parsed;
	const authorPersonIds = parsed.form.getAll('author').map(String);
	const values = {
		...parsed.values,
		author: '',
		authors: authorPersonIds.join(','),
		byLab: parsed.data.byLab ?? '',
		commentsOpen: parsed.data.commentsOpen ?? ''
	};
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
