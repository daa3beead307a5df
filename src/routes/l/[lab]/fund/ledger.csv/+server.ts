import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab } from '$lib/server/http';
import { listLedger } from '$lib/server/fund/fund.service';
import { toCsv } from '$lib/server/csv';
import { translate } from '$lib/server/i18n';

/** The ledger for French Excel: `;`, BOM, amounts with a decimal comma. */
export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'fund.viewAll');
	const rows = await listLedger(getDb(), ctx, { envelopeId: event.url.searchParams.get('envelope') ?? undefined });
	const l = event.locals.locale;
	const amount = (c: number) => (c / 100).toFixed(2).replace('.', ',');
	const csv = toCsv(
		['date', 'écriture', 'montant (€)', 'année', 'expérimentation', 'référence', 'catégorie', 'annule'],
		rows.map((r) => [r.createdAt.slice(0, 10), translate(l, `fund.kind.${r.kind}`), amount(r.amountCents), r.year, r.experimentTitle, r.reference, r.category, r.reversesId ?? ''])
	);
	return new Response(csv, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="grand-livre-${ctx.lab.slug}.csv"` } });
};
