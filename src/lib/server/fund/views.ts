/**
 * What the fund pages show: the funds and their envelopes with balances, the requests a member
 * may read, one request in detail, the ledger and the monthly consumption of an envelope.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { experimentScope } from '../policy/scopes';
import { accountName } from '../auth';
import { type LabContext } from '../labs';
import { experimentOptions, experimentTitle } from '../experiments';
import { attachmentsOf } from '../files';
import { envelopeBalance, type Balance, type EntryKind } from './ledger';
import { type RequestState, mayDecide, mayReadRequest, ownEnvelope } from './fund.service';

export interface EnvelopeView extends Balance {
	id: string;
	year: number;
}
export interface FundView {
	id: string;
	name: string;
	deciders: 'coordinator' | 'committee';
	envelopes: EnvelopeView[];
}

export async function listFunds(db: Kysely<Database>, ctx: LabContext): Promise<FundView[]> {
	authorize(ctx.role, 'fund.view');
	const funds = await db.selectFrom('fund').where('lab_id', '=', ctx.lab.id).selectAll().orderBy('created_at').execute();
	const envelopes = await db.selectFrom('envelope').where('lab_id', '=', ctx.lab.id).selectAll().orderBy('year', 'desc').execute();
	const balances = new Map(await Promise.all(envelopes.map(async (e) => [e.id, await envelopeBalance(db, e.id)] as const)));
	return funds.map((f) => ({
		id: f.id,
		name: f.name,
		deciders: f.deciders as FundView['deciders'],
		envelopes: envelopes.filter((e) => e.fund_id === f.id).map((e) => ({ id: e.id, year: e.year, ...balances.get(e.id)! }))
	}));
}

export interface RequestSummary {
	id: string;
	title: string;
	experimentId: string;
	experimentTitle: string;
	year: number;
	amountCents: number;
	decidedAmountCents: number | null;
	state: RequestState;
	updatedAt: string;
}

export async function listRequests(db: Kysely<Database>, ctx: LabContext, f: { state?: RequestState } = {}): Promise<RequestSummary[]> {
	authorize(ctx.role, 'fund.view');
	let q = db.selectFrom('funding_request as r').innerJoin('envelope as e', 'e.id', 'r.envelope_id').where('r.lab_id', '=', ctx.lab.id);
	if (f.state) q = q.where('r.state', '=', f.state);
	const scope = experimentScope(db, ctx, 'r.experiment_id', 'fund.viewAll');
	if (scope) q = q.where(scope);
	const rows = await q
		.select((eb) => [
			'r.id',
			'r.title',
			'r.experiment_id',
			experimentTitle(eb.ref('r.experiment_id')).as('xt'),
			'e.year',
			'r.amount_cents',
			'r.decided_amount_cents',
			'r.state',
			'r.updated_at'
		])
		.orderBy('r.updated_at', 'desc')
		.limit(500)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		title: r.title,
		experimentId: r.experiment_id,
		experimentTitle: r.xt ?? '',
		year: r.year,
		amountCents: Number(r.amount_cents),
		decidedAmountCents: r.decided_amount_cents === null ? null : Number(r.decided_amount_cents),
		state: r.state as RequestState,
		updatedAt: r.updated_at
	}));
}

export interface RequestDetail extends RequestSummary {
	envelopeId: string;
	justification: string;
	decisionReason: string | null;
	decidedAt: string | null;
	/** Each budget line beside what was paid under its category. */
	lines: { label: string; category: string; amountCents: number; paidCents: number }[];
	mayDecide: boolean;
	comments: { id: string; body: string; at: string; author: string | null }[];
	files: { id: string; name: string; size: number }[];
}

export async function getRequest(db: Kysely<Database>, ctx: LabContext, id: string): Promise<RequestDetail> {
	authorize(ctx.role, 'fund.view');
	const r = await db
		.selectFrom('funding_request as r')
		.innerJoin('envelope as e', 'e.id', 'r.envelope_id')
		.innerJoin('fund as f', 'f.id', 'e.fund_id')
		.where('r.id', '=', id)
		.where('r.lab_id', '=', ctx.lab.id)
		.select((eb) => experimentTitle(eb.ref('r.experiment_id')).as('xt'))
		.select([
			'r.id',
			'r.title',
			'r.experiment_id',
			'e.year',
			'e.id as envelope_id',
			'f.id as fund_id',
			'f.deciders',
			'r.amount_cents',
			'r.decided_amount_cents',
			'r.state',
			'r.updated_at',
			'r.justification',
			'r.decision_reason',
			'r.decided_at'
		])
		.executeTakeFirst();
	if (!r || !(await mayReadRequest(db, ctx, r.experiment_id, r.envelope_id))) throw new DomainError('fund.notFound', 404);
	const [lines, paid, comments, files] = await Promise.all([
		db.selectFrom('funding_request_line').where('request_id', '=', id).selectAll().orderBy('position').execute(),
		db
			.selectFrom('ledger_entry')
			.where('experiment_id', '=', r.experiment_id)
			.where('envelope_id', '=', r.envelope_id)
			.where('kind', '=', 'payment')
			.groupBy('category')
			.select(['category', (eb) => eb.fn.sum<number>('amount_cents').as('n')])
			.execute(),
		db
			.selectFrom('funding_request_comment as c')
			.where('c.request_id', '=', id)
			.select((eb) => ['c.id', 'c.body', 'c.created_at', accountName(eb.ref('c.author_id')).as('name')])
			.orderBy('c.created_at')
			.execute(),
		attachmentsOf(db, ctx.lab.id, { type: 'funding_request', id })
	]);
	const paidBy = new Map(paid.map((p) => [p.category, Number(p.n)]));
	return {
		id: r.id,
		title: r.title,
		experimentId: r.experiment_id,
		experimentTitle: r.xt ?? '',
		year: r.year,
		amountCents: Number(r.amount_cents),
		decidedAmountCents: r.decided_amount_cents === null ? null : Number(r.decided_amount_cents),
		state: r.state as RequestState,
		updatedAt: r.updated_at,
		envelopeId: r.envelope_id,
		justification: r.justification,
		decisionReason: r.decision_reason,
		decidedAt: r.decided_at,
		lines: lines.map((l) => ({ label: l.label, category: l.category, amountCents: Number(l.amount_cents), paidCents: paidBy.get(l.category) ?? 0 })),
		mayDecide: await mayDecide(db, ctx, { fund_id: r.fund_id, deciders: r.deciders }),
		comments: comments.map((c) => ({ id: c.id, body: c.body, at: c.created_at, author: c.name })),
		files: files.map((f) => ({ id: f.id, name: f.name, size: f.size }))
	};
}

export interface LedgerRow {
	id: string;
	createdAt: string;
	kind: EntryKind;
	amountCents: number;
	year: number;
	envelopeId: string;
	experimentId: string;
	experimentTitle: string;
	reference: string;
	category: string;
	commitmentId: string | null;
	reversesId: string | null;
	reversed: boolean;
	author: string | null;
}

export async function listLedger(db: Kysely<Database>, ctx: LabContext, f: { envelopeId?: string } = {}): Promise<LedgerRow[]> {
	authorize(ctx.role, 'fund.viewAll');
	let q = db.selectFrom('ledger_entry as l').innerJoin('envelope as e', 'e.id', 'l.envelope_id').where('l.lab_id', '=', ctx.lab.id);
	if (f.envelopeId) q = q.where('l.envelope_id', '=', f.envelopeId);
	const rows = await q
		.select([
			'l.id',
			'l.created_at',
			'l.kind',
			'l.amount_cents',
			'e.year',
			'l.envelope_id',
			'l.experiment_id',
			'l.reference',
			'l.category',
			'l.commitment_id',
			'l.reverses_id'
		])
		.select((eb) => [experimentTitle(eb.ref('l.experiment_id')).as('xt'), accountName(eb.ref('l.author_id')).as('name')])
		.select((eb) => eb.exists(eb.selectFrom('ledger_entry as r').whereRef('r.reverses_id', '=', 'l.id').select('r.id')).as('reversed'))
		.orderBy('l.created_at', 'desc')
		.orderBy('l.id')
		.limit(2000)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		createdAt: r.created_at,
		kind: r.kind as EntryKind,
		amountCents: Number(r.amount_cents),
		year: r.year,
		envelopeId: r.envelope_id,
		experimentId: r.experiment_id,
		experimentTitle: r.xt ?? '',
		reference: r.reference,
		category: r.category,
		commitmentId: r.commitment_id,
		reversesId: r.reverses_id,
		reversed: Boolean(r.reversed),
		author: r.name
	}));
}

export interface MonthPoint {
	year: number;
	month: number;
	allocated: number;
	committed: number;
	paid: number;
}

const monthIndex = (iso: string) => {
	const d = new Date(iso);
	return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/**
 * Cumulative allocated / committed / paid at the end of each month. The months are the
 * envelope's year, stretched to include entries recorded before or after it (late invoices).
 * When every entry lies far from that year (more than a year away, e.g. a past year's envelope
 * recorded afterwards), the months are those the entries span, twelve at least.
 */
export function consumptionByMonth(year: number, rows: readonly { kind: string; amount_cents: number | string; created_at: string }[]): MonthPoint[] {
	const yearStart = year * 12;
	const yearEnd = yearStart + 11;
	const at = rows.map((r) => monthIndex(r.created_at));
	const first = at.length ? Math.min(...at) : yearStart;
	const last = at.length ? Math.max(...at) : yearEnd;
	let start = Math.min(yearStart, first);
	let end = Math.max(yearEnd, last);
	if (first > yearEnd + 12 || last < yearStart - 12) {
		start = Math.min(first, last - 11);
		end = last;
	}
	return Array.from({ length: end - start + 1 }, (_, k) => {
		const m = start + k;
		const upTo = rows.filter((r, i) => at[i]! <= m);
		const s = (kind: string) => upTo.filter((r) => r.kind === kind).reduce((a, r) => a + Number(r.amount_cents), 0);
		return { year: Math.floor(m / 12), month: (m % 12) + 1, allocated: s('allocation') - s('release'), committed: s('commitment'), paid: s('payment') };
	});
}

export async function monthlyConsumption(db: Kysely<Database>, ctx: LabContext, envelopeId: string): Promise<MonthPoint[]> {
	authorize(ctx.role, 'fund.view');
	const env = await ownEnvelope(db, ctx, envelopeId);
	const rows = await db.selectFrom('ledger_entry').where('envelope_id', '=', envelopeId).select(['kind', 'amount_cents', 'created_at']).execute();
	return consumptionByMonth(env.year, rows);
}

export async function fundOptions(db: Kysely<Database>, ctx: LabContext) {
	authorize(ctx.role, 'fund.view');
	const [envelopes, experiments] = await Promise.all([
		db
			.selectFrom('envelope as e')
			.innerJoin('fund as f', 'f.id', 'e.fund_id')
			.where('e.lab_id', '=', ctx.lab.id)
			.select(['e.id', 'e.year', 'f.name'])
			.orderBy('e.year', 'desc')
			.execute(),
		experimentOptions(db, ctx.lab.id)
	]);
	return {
		envelopes: envelopes.map((e) => ({ value: e.id, label: `${e.name} ${e.year}` })),
		experiments: experiments.map((x) => ({ value: x.id, label: x.title }))
	};
}
