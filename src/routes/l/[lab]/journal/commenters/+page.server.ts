import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab } from '$lib/server/http';
import { commenterData, eraseCommenter } from '$lib/server/journal/comments';
import { formMessage, type FormFailure } from '$lib/shared/forms';

// A commenter asks a coordinator for their data or its erasure: the coordinator types the
// address, sees that person's comments, downloads them (export/) or erases them. Addresses go
// in forms only, never in addresses (URLs) nor in the audit log.

export const load: PageServerLoad = async (event) => {
	await guardLab(event, 'journal.commenters');
	event.setHeaders({ 'Cache-Control': 'private, no-store' });
	return {};
};

const field = (form: FormData, k: string) => {
	const v = form.get(k);
	return typeof v === 'string' ? v : '';
};

export const actions: Actions = {
	lookup: async (event) => {
		const ctx = await guardLab(event, 'journal.commenters');
		const email = field(await event.request.formData(), 'email');
		try {
			const { comments } = await commenterData(getDb(), ctx, email);
			return { formId: 'lookup', email: email.trim(), comments };
		} catch (e) {
			return domainFailure(e, { formId: 'lookup', email });
		}
	},
	erase: async (event) => {
		const ctx = await guardLab(event, 'journal.commenters');
		const form = await event.request.formData();
		const email = field(form, 'email');
		const values = { formId: 'erase', email };
		if (form.get('confirm') !== 'yes') {
			return fail(400, {
				values,
				errors: { confirm: { key: 'journal.commenters.confirmRequired' } },
				message: { key: 'journal.commenters.confirmRequired' }
			} satisfies FormFailure);
		}
		try {
			const { erased } = await eraseCommenter(getDb(), ctx, email);
			return { formId: 'erase', done: formMessage('journal.commenters.erased', { count: erased }) };
		} catch (e) {
			return domainFailure(e, values);
		}
	}
};
