import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm, readUpload, rethrowAsHttp } from '$lib/server/http';
import { advanceRequest, commentRequest, decideRequest, getRequest, updateDraftRequest } from '$lib/server/fund/fund.service';
import { attachFile, MAX_FILE_BYTES } from '$lib/server/files/files.service';
import { decisionSchema, editRequestSchema } from '$lib/shared/schemas';
import type { FormFailure } from '$lib/shared/forms';
import { z } from 'zod';
import { can } from '$lib/server/policy';
import { grantDetails, setGrantDetails } from '$lib/server/fund/grants';
import { grantDetailsSchema } from '$lib/shared/opendata';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'fund.view');
	try {
		const request = await getRequest(getDb(), ctx, event.params.id);
		return { request, grant: request.state === 'approved' && can(ctx.role, 'fund.manage') ? await grantDetails(getDb(), ctx, event.params.id) : null };
	} catch (e) {
		rethrowAsHttp(e);
	}
};

export const actions: Actions = {
	grant: async (event) => {
		const ctx = await guardLab(event, 'fund.manage');
		const parsed = await parseForm(event, grantDetailsSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await setGrantDetails(getDb(), ctx, event.params.id, parsed.data);
		} catch (e) {
			return domainFailure(e, { ...parsed.values, formId: 'grant' });
		}
		return { formId: 'grant', done: true };
	},
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
		try {
			await attachFile(getDb(), ctx, { type: 'funding_request', id: event.params.id }, await readUpload(event, MAX_FILE_BYTES));
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
	edit: async (event) => {
		const ctx = await guardLab(event, 'fund.request');
		const parsed = await parseForm(event, editRequestSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await updateDraftRequest(getDb(), ctx, event.params.id, parsed.data);
		} catch (e) {
			return domainFailure(e, { ...parsed.values, formId: 'edit' });
		}
		return { formId: 'edit', done: true };
	},
	decide: async (event) => {
		const ctx = await guardLab(event, 'fund.view');
		const parsed = await parseForm(event, decisionSchema);
		if (!parsed.ok) {
			// A badly written amount and a missing reason are told together.
			const data = parsed.failure.data as FormFailure;
			if (!data.values.reason?.trim() && data.values.decision !== undefined && !data.errors.reason) {
				data.errors.reason = { key: 'form.required' };
				data.message = { key: 'form.errors', params: { count: Object.keys(data.errors).length } };
			}
			return parsed.failure;
		}
		try {
			const { decision, amount, reason } = parsed.data;
			await decideRequest(getDb(), ctx, event.params.id, { approve: decision === 'approve', amountCents: amount, reason });
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		return { done: true };
	}
};
