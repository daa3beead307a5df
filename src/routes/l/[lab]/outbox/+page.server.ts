import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { env } from '$lib/server/env';
import { guardLab, pageParam } from '$lib/server/http';
import { listOutbox, OUTBOX_PAGE_SIZE } from '$lib/server/mail/outbox';
import { z } from 'zod';

const stateSchema = z.enum(['pending', 'sent', 'failed']).optional().catch(undefined);

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'outbox.view');
	const state = stateSchema.parse(event.url.searchParams.get('state') ?? undefined);
	const page = pageParam(event.url);
	const result = await listOutbox(getDb(), ctx, { state, page });
	return { ...result, state: state ?? '', page, pageSize: OUTBOX_PAGE_SIZE, smtp: Boolean(env().SMTP_URL) };
};
