import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm } from '$lib/server/http';
import { fundOptions, listLedger, recordEntry, reverseEntry } from '$lib/server/fund/fund.service';
import { entrySchema, reverseSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'fund.viewAll');
	const envelopeId = event.url.searchParams.get('envelope') ?? undefined;
	const [entries, options] = await Promise.all([listLedger(getDb(), ctx, { envelopeId }), fundOptions(getDb(), ctx)]);
	return { entries, options, envelopeId: envelopeId ?? '' };
};

export const actions: Actions = {
	entry: async (event) => {
		const ctx = await guardLab(event, 'fund.manage');
		const parsed = await parseForm(event, entrySchema);
		if (!parsed.ok) return parsed.failure;
		try {
			const { amount, commitmentId, ...rest } = parsed.data;
			await recordEntry(getDb(), ctx, { ...rest, amountCents: amount, commitmentId: commitmentId || undefined });
		} catch (e) {
			return domainFailure(e, { ...parsed.values, formId: 'entry' });
		}
		return { formId: 'entry', done: true };
	},
	reverse: async (event) => {
		const ctx = await guardLab(event, 'fund.manage');
		const parsed = await parseForm(event, reverseSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await reverseEntry(getDb(), ctx, parsed.data.entryId, parsed.data.reason);
		} catch (e) {
			return domainFailure(e, { ...parsed.values, formId: 'reverse' });
		}
		return { formId: 'reverse', done: true };
	}
};
