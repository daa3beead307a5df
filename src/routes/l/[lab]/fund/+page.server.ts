import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm } from '$lib/server/http';
import { addEnvelope, createFund, listFunds, listRequests, monthlyConsumption } from '$lib/server/fund/fund.service';
import { envelopeSchema, fundSchema } from '$lib/shared/schemas';
import { labSettings, updateLabSettings } from '$lib/server/labs/labs.service';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'fund.view');
	const db = getDb();
	const funds = await listFunds(db, ctx);
	const charts = Object.fromEntries(
		await Promise.all(funds.flatMap((f) => f.envelopes.map(async (e) => [e.id, await monthlyConsumption(db, ctx, e.id)] as const)))
	);
	return { funds, charts, requests: await listRequests(db, ctx), settings: await labSettings(db, ctx.lab.id) };
};

export const actions: Actions = {
	publish: async (event) => {
		const ctx = await guardLab(event, 'lab.settings');
		const data = await event.request.formData();
		await updateLabSettings(getDb(), ctx, { publishFunding: data.get('publishFunding') === 'on' });
		return { formId: 'publish', done: true };
	},
	fund: async (event) => {
		const ctx = await guardLab(event, 'fund.manage');
		const parsed = await parseForm(event, fundSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await createFund(getDb(), ctx, parsed.data);
		} catch (e) {
			return domainFailure(e, { ...parsed.values, formId: 'fund' });
		}
		return { formId: 'fund', done: true };
	},
	envelope: async (event) => {
		const ctx = await guardLab(event, 'fund.manage');
		const parsed = await parseForm(event, envelopeSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await addEnvelope(getDb(), ctx, parsed.data.fundId, { year: parsed.data.year, amountCents: parsed.data.amount });
		} catch (e) {
			return domainFailure(e, { ...parsed.values, formId: 'envelope' });
		}
		return { formId: 'envelope', done: true };
	}
};
