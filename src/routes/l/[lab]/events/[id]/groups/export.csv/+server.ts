import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, rethrowAsHttp } from '$lib/server/http';
import { planGroups } from '$lib/server/sessions/sessions.service';
import { toCsv } from '$lib/server/csv';
import { translate } from '$lib/server/i18n';

/** The groups for French Excel (`;`, BOM): one row per person, facilitators first. */
export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'events.view');
	const p = await planGroups(getDb(), ctx, event.params.id).catch((e) => rethrowAsHttp(e));
	const l = event.locals.locale;
	const rows: (string | number)[][] = [];
	for (const g of p.groups) {
		for (const f of g.facilitators) rows.push([g.index + 1, translate(l, f.role === 'lead' ? 'session.facilitatorLead' : 'session.facilitatorSecond'), f.name, '', '', '', '', '']);
		for (const m of g.members)
			rows.push([
				g.index + 1,
				translate(l, 'session.participantRole'),
				m.name,
				m.email,
				m.organisation,
				m.actorType ? translate(l, `session.actorType.${m.actorType}`) : '',
				m.scale ? translate(l, `session.scale.${m.scale}`) : '',
				m.directorate
			]);
	}
	const csv = toCsv(['groupe', 'rôle', 'nom', 'email', 'organisation', 'type_acteur', 'echelle', 'direction'], rows);
	return new Response(csv, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="groupes-${p.event.id.slice(0, 8)}.csv"` } });
};
