import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, pageParam } from '$lib/server/http';
import {
	COMMENT_STATES,
	isModerationAction,
	isNotifyMode,
	moderate,
	moderationQueue,
	notifyMode,
	setNotifyMode,
	type CommentState
} from '$lib/server/journal/comments';
import { formMessage, type FormFailure } from '$lib/shared/forms';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'journal.moderate');
	const wanted = event.url.searchParams.get('state');
	const state: CommentState = (COMMENT_STATES as readonly string[]).includes(wanted ?? '') ? (wanted as CommentState) : 'pending';
	const db = getDb();
	const [queue, mode] = await Promise.all([moderationQueue(db, ctx, { state, page: pageParam(event.url) }), notifyMode(db, ctx)]);
	event.setHeaders({ 'Cache-Control': 'private, no-store' });
	return { queue, state, mode };
};

export const actions: Actions = {
	/** The bulk buttons (do=approve|reject|spam on the ticked ids) or one row's button (row=<action>:<id>). */
	moderate: async (event) => {
		const ctx = await guardLab(event, 'journal.moderate');
		const form = await event.request.formData();
		const row = form.get('row');
		let action: unknown;
		let ids: string[];
		if (typeof row === 'string' && row.includes(':')) {
			const i = row.indexOf(':');
			action = row.slice(0, i);
			ids = [row.slice(i + 1)];
		} else {
			action = form.get('do');
			ids = form.getAll('ids').filter((x): x is string => typeof x === 'string');
		}
		const values = { formId: 'moderate' };
		if (!isModerationAction(action)) return fail(400, { values, errors: {}, message: { key: 'form.invalidChoice' } } satisfies FormFailure);
		try {
			const { count } = await moderate(getDb(), ctx, ids, action);
			return { formId: 'moderate', done: formMessage(`journal.moderation.done.${action}`, { count }) };
		} catch (e) {
			return domainFailure(e, values);
		}
	},
	notify: async (event) => {
		const ctx = await guardLab(event, 'journal.moderate');
		const mode = (await event.request.formData()).get('mode');
		const values = { formId: 'notify', mode: typeof mode === 'string' ? mode : '' };
		if (!isNotifyMode(mode))
			return fail(400, { values, errors: { mode: { key: 'form.invalidChoice' } }, message: { key: 'form.invalidChoice' } } satisfies FormFailure);
		try {
			await setNotifyMode(getDb(), ctx, mode);
		} catch (e) {
			return domainFailure(e, values);
		}
		return { formId: 'notify', done: formMessage('journal.moderation.notify.saved') };
	}
};
