import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { DomainError } from '$lib/server/errors';
import { domainFailure, guardLab, parseForm, rethrowAsHttp } from '$lib/server/http';
import { advanceRequest, canReadRequest, commentRequest, decideRequest, getRequest } from '$lib/server/fund/fund.service';
import { MAX_FILE_BYTES, storeFile } from '$lib/server/files/files.service';
import { fail } from '@sveltejs/kit';
import { decisionSchema } from '$lib/shared/schemas';
import { parseEuros } from '$lib/shared/money';
import { z } from 'zod';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'fund.view');
	try {
		return { request: await getRequest(getDb(), ctx, event.params.id) };
	} catch (e) {
		rethrowAsHttp(e);
	}
};

export const actions: Actions = {
	comment: async (event) => {
		const ctx = await guardLab(event, 'fund.review');
		const parsed = await parseForm(event, z.object({ body: z.string().trim().min(1).max(5000) }));
		if (!parsed.ok) return parsed.failure;
		try {
			await commentRequest(getDb(), ctx, event.params.id, parsed.data.body);
		} catch (e) {
			return domainFailure(e, { ...parsed.values, formId: 'comment' });
		}
		return { formId: 'comment', done: true };
	},
	upload: async (event) => {
		const ctx = await guardLab(event, 'fund.request');
		const length = Number(event.request.headers.get('content-length') ?? 0);
		if (length > MAX_FILE_BYTES + 64 * 1024) return fail(413, { formId: 'upload', values: {}, errors: { file: { key: 'file.tooLarge', params: { max: 10 } } }, message: { key: 'file.tooLarge', params: { max: 10 } } });
		const data = await event.request.formData();
		const file = data.get('file');
		try {
			if (!(file instanceof File) || file.size === 0) throw new DomainError('file.empty', 400, {}, 'file');
			if (!(await canReadRequest(getDb(), ctx, event.params.id))) throw new DomainError('fund.notFound', 404);
			await storeFile(getDb(), ctx, { type: 'funding_request', id: event.params.id }, { name: file.name, bytes: Buffer.from(await file.arrayBuffer()) });
		} catch (e) {
			return domainFailure(e, { formId: 'upload' });
		}
		return { formId: 'upload', done: true };
	},
	advance: async (event) => {
		const ctx = await guardLab(event, 'fund.view');
		const parsed = await parseForm(event, z.object({ to: z.enum(['submitted', 'under_review']) }));
		if (!parsed.ok) return parsed.failure;
		try {
			await advanceRequest(getDb(), ctx, event.params.id, parsed.data.to);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		return { done: true };
	},
	decide: async (event) => {
		const ctx = await guardLab(event, 'fund.view');
		const parsed = await parseForm(event, decisionSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			let amountCents: number | undefined;
			if (parsed.data.decision === 'approve' && parsed.data.amount?.trim()) {
				const c = parseEuros(parsed.data.amount);
				if (c === null || c === 0) throw new DomainError('fund.badAmount', 400, {}, 'amount');
				amountCents = c;
			}
			await decideRequest(getDb(), ctx, event.params.id, { approve: parsed.data.decision === 'approve', amountCents, reason: parsed.data.reason });
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		return { done: true };
	}
};
