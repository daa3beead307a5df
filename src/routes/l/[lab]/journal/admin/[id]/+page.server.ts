import { publicOrigin } from '$lib/server/env';
import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, readUpload, rethrowAsHttp } from '$lib/server/http';
import { changeState, getPost, issuePreviewLink, updatePost, type StateAction } from '$lib/server/journal/posts.service';
import { listJournalImages, MAX_IMAGE_BYTES, storeJournalImage } from '$lib/server/journal/images';
import { readPostForm } from '$lib/server/journal/forms';
import { memberChoices } from '$lib/server/members/members.service';
import { DomainError } from '$lib/server/errors';
import { localDateTime } from '$lib/shared/events';
import { parisToIso } from '$lib/shared/time';
import { formMessage } from '$lib/shared/forms';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'journal.write');
	const db = getDb();
	try {
		const post = await getPost(db, ctx, event.params.id);
		const [authors, images] = await Promise.all([memberChoices(getDb(), ctx), listJournalImages(db, ctx.lab.id, post.id)]);
		return {
			post,
			authors,
			images,
			origin: publicOrigin(),
			values: {
				kind: post.kind,
				title: post.title,
				slug: post.slug,
				series: post.series,
				episode: post.episode,
				excerpt: post.excerpt,
				body: post.body,
				tags: post.tags.join(', '),
				byLab: post.byLab ? 'on' : '',
				commentsOpen: post.commentsOpen ? 'on' : '',
				coverFileId: post.coverFileId ?? '',
				baseVersion: String(post.version)
			}
		};
	} catch (e) {
		rethrowAsHttp(e);
	}
};

export const actions: Actions = {
	save: async (event) => {
		const ctx = await guardLab(event, 'journal.write');
		const r = await readPostForm(event);
		if (!r.ok) return r.failure;
		const baseVersion = Number(r.form.get('baseVersion'));
		const values = { ...r.values, formId: 'save' };
		try {
			await updatePost(getDb(), ctx, event.params.id, r.input, baseVersion);
		} catch (e) {
			return domainFailure(e, values);
		}
		return { formId: 'save', done: formMessage('journal.saved') };
	},
	state: async (event) => {
		const ctx = await guardLab(event, 'journal.write');
		const form = await event.request.formData();
		const to = String(form.get('to') ?? '');
		const values = { formId: 'state', publishAt: String(form.get('publishAt') ?? '') };
		let action: StateAction;
		if (to === 'scheduled') {
			const at = localDateTime.safeParse(values.publishAt);
			if (!at.success) return fail(400, { formId: 'state', values, errors: { publishAt: { key: 'form.invalidDate' } }, message: { key: 'form.invalidDate' } });
			action = { to, at: parisToIso(at.data) };
		} else if (to === 'published' || to === 'unpublished' || to === 'draft') action = { to };
		else return fail(400, { formId: 'state', values, errors: {}, message: { key: 'form.invalid' } });
		try {
			await changeState(getDb(), ctx, event.params.id, action);
		} catch (e) {
			return domainFailure(e, values);
		}
		return { formId: 'state', done: formMessage(`journal.stateDone.${action.to}`) };
	},
	/** A new preview link, shown once in the answer (only its hash is kept); the old one stops working. */
	preview: async (event) => {
		const ctx = await guardLab(event, 'journal.write');
		try {
			const { token, expiresAt } = await issuePreviewLink(getDb(), ctx, event.params.id);
			return { formId: 'preview', previewUrl: `${publicOrigin()}/l/${ctx.lab.slug}/journal/preview/${token}`, expiresAt };
		} catch (e) {
			return domainFailure(e, { formId: 'preview' });
		}
	},
	image: async (event) => {
		const ctx = await guardLab(event, 'journal.write');
		try {
			await getPost(getDb(), ctx, event.params.id);
			const file = await readUpload(event, MAX_IMAGE_BYTES);
			const id = await storeJournalImage(getDb(), ctx.lab.id, file.name, file.bytes, event.params.id, ctx.actor?.accountId ?? null, 'journal.imageUnreadable');
			return {
				formId: 'image',
				done: formMessage('journal.imageAdded'),
				image: { id, markdown: `![${file.name.replace(/\.[^.]+$/, '').replace(/[[\]]/g, '')}](/l/${ctx.lab.slug}/journal/images/${id})` }
			};
		} catch (e) {
			if (e instanceof DomainError && e.code === 'file.tooLarge')
				return domainFailure(new DomainError('journal.imageTooLarge', 413, { max: MAX_IMAGE_BYTES / 1024 / 1024 }, 'image'), { formId: 'image' });
			return domainFailure(e, { formId: 'image' });
		}
	}
};
