import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab } from '$lib/server/http';
import { listExperiments } from '$lib/server/experiments/experiments.service';
import { toCsv } from '$lib/server/csv';
import { translate } from '$lib/server/i18n';
import { experimentFilterSchema } from '$lib/shared/schemas';

/** The filtered list as CSV for French spreadsheets. */
export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'experiments.view');
	const filter = experimentFilterSchema.parse(Object.fromEntries(event.url.searchParams));
	const rows = await listExperiments(getDb(), ctx, filter);
	const l = event.locals.locale;
	const csv = toCsv(
		['titre', 'statut', 'depuis', 'scénario', 'commanditaire', 'opérateur', 'partenaires'].map((h, i) =>
			l === 'fr' ? h : ['title', 'status', 'since', 'scenario', 'sponsor', 'operator', 'partners'][i]!
		),
		rows.map((x) => [x.title, translate(l, `experiment.status.${x.status}`), x.statusSince.slice(0, 10), x.scenario, x.sponsor, x.operator, x.partners])
	);
	return new Response(csv, {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="experimentations-${ctx.lab.slug}.csv"` }
	});
};
