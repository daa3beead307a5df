import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { toCount } from '../db/util';
import { authorize } from '../policy';
import type { LabContext } from '../labs';
import { personName } from '../auth';
import { eventRows, facilitationCounts } from '../events';
import { TERRITORIES, type Territory } from '$lib/shared/network';
import { callTallies } from './tallies';

export interface LoadRow {
	referentId: string;
	name: string;
	facilitations: number;
	callsReceived: number;
}

export interface NetworkDashboard {
	year: number;
	/** Active referents at the end of each of the last 24 months. */
	months: { month: string; active: number }[];
	byTerritory: { territory: Territory; n: number }[];
	byDirectorate: { directorate: string; n: number }[];
	/** Facilitations this year: the most loaded, and how many were never asked. */
	loaded: LoadRow[];
	overloadThreshold: number;
	overloaded: number;
	neverAsked: { count: number; sample: LoadRow[] };
	calls: { id: string; title: string; startsAt: string; needed: number; invited: number; answered: number; yes: number; assigned: number; filled: boolean }[];
	totals: { active: number; facilitations: number; calls: number; filled: number };
}

function monthEnds(now: Date, n: number): string[] {
	const out: string[] = [];
	for (let i = n - 1; i >= 0; i--) {
		const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i + 1, 1));
		out.push(d.toISOString());
	}
	return out;
}

export async function networkDashboard(db: Kysely<Database>, ctx: LabContext, year: number, now = new Date()): Promise<NetworkDashboard> {
	authorize(ctx.role, 'network.dashboard');
	const labId = ctx.lab.id;
	const from = `${year}-01-01`;
	const to = `${year + 1}-01-01`;
	const [people, facilitations, received, calls] = await Promise.all([
		db
			.selectFrom('referent as r')
			.where('r.lab_id', '=', labId)
			.select((eb) => ['r.id', 'r.person_id', personName(eb.ref('r.person_id')).as('name'), 'r.territory', 'r.directorate', 'r.consent_at', 'r.withdrawn_at'])
			.execute()
			.then((rows) => rows.map((r) => ({ ...r, name: r.name ?? '' }))),
		facilitationCounts(db, labId, null, { from, to, attendedOnly: true }),
		db
			.selectFrom('call_answer as a')
			.innerJoin('network_call as c', 'c.id', 'a.call_id')
			.where('c.lab_id', '=', labId)
			.select('a.referent_id')
			.select((eb) => eb.fn.countAll().as('n'))
			.groupBy('a.referent_id')
			.execute(),
		db
			.selectFrom('network_call as c')
			.innerJoin(eventRows('e'), 'e.id', 'c.event_id')
			.where('c.lab_id', '=', labId)
			.where('e.starts_at', '>=', from)
			.where('e.starts_at', '<', to)
			.where('c.state', '!=', 'cancelled')
			.select(['c.id', 'e.title', 'e.starts_at', 'c.needed'])
			.select((eb) => callTallies(eb.ref('c.id'), 'facilitator'))
			.orderBy('e.starts_at')
			.execute()
	]);

	const active = people.filter((p) => !p.withdrawn_at);
	const months = monthEnds(now, 24).map((end) => ({
		month: new Date(new Date(end).getTime() - 1).toISOString().slice(0, 7),
		active: people.filter((p) => p.consent_at < end && (!p.withdrawn_at || p.withdrawn_at >= end)).length
	}));
	const byTerritory = TERRITORIES.map((territory) => ({ territory, n: active.filter((p) => p.territory === territory).length }));
	const dirCounts = new Map<string, number>();
	for (const p of active) dirCounts.set(p.directorate || '—', (dirCounts.get(p.directorate || '—') ?? 0) + 1);
	const byDirectorate = [...dirCounts]
		.map(([directorate, n]) => ({ directorate, n }))
		.sort((a, b) => b.n - a.n || a.directorate.localeCompare(b.directorate, 'fr'));

	const facOf = facilitations;
	const recOf = new Map(received.map((r) => [r.referent_id, toCount(r.n)]));
	const rows: LoadRow[] = active.map((p) => ({
		referentId: p.id,
		name: p.name,
		facilitations: facOf.get(p.person_id) ?? 0,
		callsReceived: recOf.get(p.id) ?? 0
	}));
	const total = rows.reduce((s, r) => s + r.facilitations, 0);
	const doing = rows.filter((r) => r.facilitations > 0);
	// Overloaded: at least three facilitations and twice the average of those who facilitate.
	const overloadThreshold = Math.max(3, Math.ceil(doing.length ? (2 * total) / doing.length : 3));
	const byName = (a: LoadRow, b: LoadRow) => a.name.localeCompare(b.name, 'fr');
	const loaded = [...doing].sort((a, b) => b.facilitations - a.facilitations || byName(a, b)).slice(0, 25);
	const never = rows.filter((r) => r.callsReceived === 0 && r.facilitations === 0).sort(byName);
	const callRows = calls.map((c) => {
		const assigned = toCount(c.assigned);
		return {
			id: c.id,
			title: c.title,
			startsAt: c.starts_at,
			needed: c.needed,
			invited: toCount(c.invited),
			answered: toCount(c.answered),
			yes: toCount(c.yes),
			assigned,
			filled: assigned >= c.needed
		};
	});
	return {
		year,
		months,
		byTerritory,
		byDirectorate,
		loaded,
		overloadThreshold,
		overloaded: doing.filter((r) => r.facilitations >= overloadThreshold).length,
		neverAsked: { count: never.length, sample: never.slice(0, 25) },
		calls: callRows,
		totals: { active: active.length, facilitations: total, calls: callRows.length, filled: callRows.filter((c) => c.filled).length }
	};
}
