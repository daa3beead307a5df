import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { env } from '$lib/server/env';
import { domainFailure, guardLab, pageParam } from '$lib/server/http';
import { listOutbox, OUTBOX_PAGE_SIZE, resendMessage } from '$lib/server/mail/outbox';
import { z } from 'zod';
import { formMessage } from '$lib/shared/forms';

const stateSchema = z.enum(['pending', 'sending', 'sent', 'failed']).optional().catch(undefined);

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'outbox.view');
	const state = stateSchema.parse(event.url.searchParams.get('state') ?? undefined);
	const page = pageParam(event.url);
	const result = await listOutbox(getDb(), ctx, { state, page });
	return { ...result, state: state ?? '', page, pageSize: OUTBOX_PAGE_SIZE, smtp: Boolean(env().SMTP_URL) };
};

export const actions: Actions = {
	/** A failed message queued again; the page comes back with the same filter. */
	resend: async (event) => {
		const ctx = await guardLab(event, 'outbox.view');
		const form = await event.request.formData();
		const id = z.string().uuid().safeParse(form.get('id'));
		if (!id.success) return fail(404, { formId: 'resend', values: {}, errors: {}, message: formMessage('outbox.notFound') });
		try {
			await resendMessage(getDb(), ctx, id.data);
		} catch (e) {
			return domainFailure(e, { formId: 'resend' });
		}
		redirect(303, `${event.url.pathname}${event.url.search.replace(/[?&]\/resend/, '')}`);
	}
};
