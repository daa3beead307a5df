import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { DomainError } from '$lib/server/errors';
import { domainFailure, guardLab, parseForm, rethrowAsHttp } from '$lib/server/http';
import { advanceRequest, decideRequest, getRequest } from '$lib/server/fund/fund.service';
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
