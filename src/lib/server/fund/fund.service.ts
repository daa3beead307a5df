import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, newId, nowIso } from '../db/util';
import { DomainError, FieldsError } from '../errors';
import { authorize, can } from '../policy';
import { recordAudit } from '../audit';
import { labSettings, type LabContext } from '../labs';
import { experimentTitle, experimentTitles, isTeamMember } from '../experiments';
import { appendEntry, envelopeBalance, experimentAllocation, withEnvelopeLock, type Balance, type EntryKind } from './ledger';
import { bumpContentVersion } from '../publiccache';

export type RequestState = 'draft' | 'submitted' | 'under_review' | 'approved' | 'rejected';

/** Sponsors see the requests of the experiments they are listed on; the lab's team sees all. */
/**
 * Who may read a request beyond those who see every request: the experiment's members (a sponsor
 * following it), and the members of the deciding committee of the request's fund.
 */
export async function mayReadRequest(db: Kysely<Database>, ctx: LabContext, experimentId: string, envelopeId: string): Promise<boolean> {
	if (can(ctx.role, 'fund.viewAll')) return true;
	const account = ctx.actor?.accountId ?? '';
	if (await isTeamMember(db, experimentId, account)) return true;
	const seat = await db
		.selectFrom('envelope as e')
		.innerJoin('fund as f', 'f.id', 'e.fund_id')
		.innerJoin('fund_committee as c', 'c.fund_id', 'f.id')
		.where('e.id', '=', envelopeId)
		.where('f.deciders', '=', 'committee')
		.where('c.account_id', '=', account)
		.select('c.account_id')
		.executeTakeFirst();
	return Boolean(seat) && ctx.role !== null && ctx.role !== 'partner';
}

export async function ownEnvelope(db: Kysely<Database>, ctx: LabContext, envelopeId: string) {
	const env = await db
		.selectFrom('envelope as e')
		.innerJoin('fund as f', 'f.id', 'e.fund_id')
		.where('e.id', '=', envelopeId)
		.where('e.lab_id', '=', ctx.lab.id)
		.select(['e.id', 'e.year', 'e.amount_cents', 'f.id as fund_id', 'f.deciders'])
		.executeTakeFirst();
	if (!env) throw new DomainError('fund.notFound', 404);
	return env;
}

async function ownExperiment(db: Kysely<Database>, ctx: LabContext, experimentId: string) {
	const [x] = await experimentTitles(db, [experimentId]);
	if (!x) throw new DomainError('experiment.notFound', 404, {}, 'experimentId');
	if (x.lab_id !== ctx.lab.id) throw new DomainError('link.otherLab', 400, {}, 'experimentId');
}

export async function createFund(db: Kysely<Database>, ctx: LabContext, input: { name: string; deciders: 'coordinator' | 'committee' }): Promise<string> {
	authorize(ctx.role, 'fund.manage');
	const id = newId();
	await inTransaction(db, async (trx) => {
		await trx.insertInto('fund').values({ id, lab_id: ctx.lab.id, name: input.name, deciders: input.deciders, created_at: nowIso() }).execute();
		await recordAudit(trx, { labId: ctx.lab.id, actorId: ctx.actor?.accountId ?? null, action: 'fund.create', subjectType: 'fund', subjectId: id });
	});
	return id;
}

export async function addEnvelope(db: Kysely<Database>, ctx: LabContext, fundId: string, input: { year: number; amountCents: number }): Promise<string> {
	authorize(ctx.role, 'fund.manage');
	if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) throw new DomainError('fund.badAmount', 400, {}, 'amount');
	const id = newId();
	await inTransaction(db, async (trx) => {
		const fund = await trx.selectFrom('fund').where('id', '=', fundId).where('lab_id', '=', ctx.lab.id).select('id').executeTakeFirst();
		if (!fund) throw new DomainError('fund.notFound', 404);
		const dup = await trx.selectFrom('envelope').where('fund_id', '=', fundId).where('year', '=', input.year).select('id').executeTakeFirst();
		if (dup) throw new DomainError('fund.envelopeExists', 409, { year: String(input.year) }, 'year');
		await trx
			.insertInto('envelope')
			.values({ id, lab_id: ctx.lab.id, fund_id: fundId, year: input.year, amount_cents: input.amountCents, created_at: nowIso() })
			.execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'fund.addEnvelope',
			subjectType: 'envelope',
			subjectId: id,
			summary: { year: input.year, amountCents: input.amountCents }
		});
	});
	return id;
}

export async function setCommittee(db: Kysely<Database>, ctx: LabContext, fundId: string, accountIds: string[]): Promise<void> {
	authorize(ctx.role, 'fund.manage');
	await inTransaction(db, async (trx) => {
		const fund = await trx.selectFrom('fund').where('id', '=', fundId).where('lab_id', '=', ctx.lab.id).select('id').executeTakeFirst();
		if (!fund) throw new DomainError('fund.notFound', 404);
		await trx.deleteFrom('fund_committee').where('fund_id', '=', fundId).execute();
		if (accountIds.length)
			await trx
				.insertInto('fund_committee')
				.values(accountIds.map((a) => ({ fund_id: fundId, account_id: a })))
				.execute();
		await recordAudit(trx, { labId: ctx.lab.id, actorId: ctx.actor?.accountId ?? null, action: 'fund.setCommittee', subjectType: 'fund', subjectId: fundId });
	});
}

export interface RequestInput {
	envelopeId: string;
	experimentId: string;
	title: string;
	justification: string;
	lines: { label: string; category: string; amountCents: number }[];
}

/** A funding request in draft; its amount is the sum of its budget lines. */
export async function createRequest(db: Kysely<Database>, ctx: LabContext, input: RequestInput): Promise<string> {
	authorize(ctx.role, 'fund.request');
	if (input.lines.length === 0 || input.lines.some((l) => !Number.isSafeInteger(l.amountCents) || l.amountCents <= 0))
		throw new DomainError('fund.badAmount', 400, {}, 'lines');
	const id = newId();
	const now = nowIso();
	await inTransaction(db, async (trx) => {
		await ownEnvelope(trx, ctx, input.envelopeId);
		await ownExperiment(trx, ctx, input.experimentId);
		await trx
			.insertInto('funding_request')
			.values({
				id,
				lab_id: ctx.lab.id,
				envelope_id: input.envelopeId,
				experiment_id: input.experimentId,
				title: input.title,
				amount_cents: input.lines.reduce((a, l) => a + l.amountCents, 0),
				justification: input.justification,
				state: 'draft',
				decided_amount_cents: null,
				decision_reason: null,
				decided_by: null,
				decided_at: null,
				submitted_at: null,
				created_by: ctx.actor?.accountId ?? null,
				created_at: now,
				updated_at: now
			})
			.execute();
		await trx
			.insertInto('funding_request_line')
			.values(input.lines.map((l, i) => ({ id: newId(), request_id: id, label: l.label, category: l.category, amount_cents: l.amountCents, position: i })))
			.execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'fundingRequest.create',
			subjectType: 'funding_request',
			subjectId: id
		});
	});
	return id;
}

/** Edits a draft request (title, justification, budget lines); once submitted it is frozen. */
export async function updateDraftRequest(
	db: Kysely<Database>,
	ctx: LabContext,
	requestId: string,
	input: Omit<RequestInput, 'envelopeId' | 'experimentId'>
): Promise<void> {
	authorize(ctx.role, 'fund.request');
	if (input.lines.length === 0 || input.lines.some((l) => !Number.isSafeInteger(l.amountCents) || l.amountCents <= 0))
		throw new DomainError('fund.badAmount', 400, {}, 'lines');
	await inTransaction(db, async (trx) => {
		const r = await trx
			.selectFrom('funding_request')
			.where('id', '=', requestId)
			.where('lab_id', '=', ctx.lab.id)
			.select(['state', 'experiment_id', 'envelope_id'])
			.executeTakeFirst();
		if (!r || !(await mayReadRequest(trx, ctx, r.experiment_id, r.envelope_id))) throw new DomainError('fund.notFound', 404);
		if (r.state !== 'draft') throw new DomainError('fund.notDraft', 409, { state: `fund.state.${r.state}` });
		const res = await trx
			.updateTable('funding_request')
			.set({ title: input.title, justification: input.justification, amount_cents: input.lines.reduce((a, l) => a + l.amountCents, 0), updated_at: nowIso() })
			.where('id', '=', requestId)
			.where('state', '=', 'draft')
			.executeTakeFirst();
		if (Number(res.numUpdatedRows) !== 1) throw new DomainError('fund.notDraft', 409, { state: 'fund.state.submitted' });
		await trx.deleteFrom('funding_request_line').where('request_id', '=', requestId).execute();
		await trx
			.insertInto('funding_request_line')
			.values(
				input.lines.map((l, i) => ({ id: newId(), request_id: requestId, label: l.label, category: l.category, amount_cents: l.amountCents, position: i }))
			)
			.execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'fundingRequest.edit',
			subjectType: 'funding_request',
			subjectId: requestId
		});
	});
}

const NEXT: Record<string, RequestState[]> = { draft: ['submitted'], submitted: ['under_review'], under_review: [] };

/** draft → submitted → under review; decisions go through decideRequest. */
export async function advanceRequest(db: Kysely<Database>, ctx: LabContext, requestId: string, to: 'submitted' | 'under_review'): Promise<void> {
	authorize(ctx.role, to === 'submitted' ? 'fund.request' : 'fund.review');
	await inTransaction(db, async (trx) => {
		const r = await trx
			.selectFrom('funding_request')
			.where('id', '=', requestId)
			.where('lab_id', '=', ctx.lab.id)
			.select(['state', 'experiment_id', 'envelope_id'])
			.executeTakeFirst();
		// A request the caller may not read does not exist for them (a sponsor off the experiment).
		if (!r || !(await mayReadRequest(trx, ctx, r.experiment_id, r.envelope_id))) throw new DomainError('fund.notFound', 404);
		if (!NEXT[r.state]?.includes(to)) throw new DomainError('fund.badTransition', 409, { state: `fund.state.${r.state}` });
		await trx
			.updateTable('funding_request')
			.set({ state: to, updated_at: nowIso(), ...(to === 'submitted' ? { submitted_at: nowIso() } : {}) })
			.where('id', '=', requestId)
			.where('state', '=', r.state)
			.execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: `fundingRequest.${to}`,
			subjectType: 'funding_request',
			subjectId: requestId
		});
		await bumpContentVersion(trx, ctx.lab.id);
	});
}

/** Whether the caller may decide on this fund's requests (a lab setting: coordinators or the committee). */
export async function mayDecide(db: Kysely<Database>, ctx: LabContext, fund: { fund_id: string; deciders: string }): Promise<boolean> {
	if (fund.deciders === 'committee') {
		const member = await db
			.selectFrom('fund_committee')
			.where('fund_id', '=', fund.fund_id)
			.where('account_id', '=', ctx.actor?.accountId ?? '')
			.select('account_id')
			.executeTakeFirst();
		return Boolean(member) && ctx.role !== null && ctx.role !== 'partner';
	}
	return can(ctx.role, 'fund.manage');
}

/**
 * Approves (possibly for less than asked) or rejects a submitted request, once. Approval
 * allocates the amount in the ledger under the envelope lock: an approval that would overdraw
 * the envelope is refused with the amount still available, and nothing changes.
 */
export async function decideRequest(
	db: Kysely<Database>,
	ctx: LabContext,
	requestId: string,
	d: { approve: boolean; amountCents?: number; reason: string }
): Promise<void> {
	authorize(ctx.role, 'fund.view');
	const r = await db
		.selectFrom('funding_request')
		.where('id', '=', requestId)
		.where('lab_id', '=', ctx.lab.id)
		.select(['envelope_id', 'experiment_id'])
		.executeTakeFirst();
	if (!r || !(await mayReadRequest(db, ctx, r.experiment_id, r.envelope_id))) throw new DomainError('fund.notFound', 404);
	const env = await ownEnvelope(db, ctx, r.envelope_id);
	if (!(await mayDecide(db, ctx, env))) throw new DomainError('error.forbidden', 403);
	await withEnvelopeLock(db, r.envelope_id, async (trx) => {
		const req = await trx.selectFrom('funding_request').where('id', '=', requestId).selectAll().executeTakeFirstOrThrow();
		if (req.state !== 'submitted' && req.state !== 'under_review') throw new DomainError('fund.alreadyDecided', 409, { state: `fund.state.${req.state}` });
		const amount = d.approve ? (d.amountCents ?? Number(req.amount_cents)) : null;
		// The amount and the reason are checked together, so both mistakes are told at once.
		const errors: FieldsError['errors'] = {};
		if (amount !== null && (amount <= 0 || amount > Number(req.amount_cents)))
			errors.amount = { key: 'fund.approveTooMuch', params: { max: Number(req.amount_cents) / 100 } };
		if (!d.reason.trim()) errors.reason = { key: 'form.required' };
		if (errors.amount && !errors.reason) throw new DomainError('fund.approveTooMuch', 400, errors.amount.params, 'amount');
		if (Object.keys(errors).length) throw new FieldsError(errors);
		if (amount !== null)
			await appendEntry(trx, {
				labId: ctx.lab.id,
				envelopeId: req.envelope_id,
				experimentId: req.experiment_id,
				kind: 'allocation',
				amountCents: amount,
				requestId,
				authorId: ctx.actor?.accountId ?? null,
				reference: req.title
			});
		const res = await trx
			.updateTable('funding_request')
			.set({
				state: d.approve ? 'approved' : 'rejected',
				decided_amount_cents: amount,
				decision_reason: d.reason,
				decided_by: ctx.actor?.accountId ?? null,
				decided_at: nowIso(),
				updated_at: nowIso()
			})
			.where('id', '=', requestId)
			.where('state', '=', req.state)
			.executeTakeFirst();
		if (Number(res.numUpdatedRows) !== 1) throw new DomainError('fund.alreadyDecided', 409, { state: 'fund.state.approved' });
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: d.approve ? 'fundingRequest.approve' : 'fundingRequest.reject',
			subjectType: 'funding_request',
			subjectId: requestId,
			summary: { amountCents: amount }
		});
		await bumpContentVersion(trx, ctx.lab.id);
	});
}

/** Commitments (orders to an operator), payments against them, and releases of unspent money. */
export async function recordEntry(
	db: Kysely<Database>,
	ctx: LabContext,
	e: {
		kind: Exclude<EntryKind, 'allocation'>;
		envelopeId: string;
		experimentId: string;
		amountCents: number;
		commitmentId?: string;
		reference: string;
		category?: string;
	}
): Promise<string> {
	authorize(ctx.role, 'fund.manage');
	await ownEnvelope(db, ctx, e.envelopeId);
	await ownExperiment(db, ctx, e.experimentId);
	return withEnvelopeLock(db, e.envelopeId, async (trx) => {
		if (e.kind === 'payment') {
			const c = await trx
				.selectFrom('ledger_entry')
				.where('id', '=', e.commitmentId ?? '')
				.where('lab_id', '=', ctx.lab.id)
				.where('kind', '=', 'commitment')
				.select(['envelope_id', 'experiment_id'])
				.executeTakeFirst();
			if (!c || c.envelope_id !== e.envelopeId || c.experiment_id !== e.experimentId) throw new DomainError('fund.noCommitment', 400, {}, 'commitmentId');
		}
		const id = await appendEntry(trx, {
			labId: ctx.lab.id,
			envelopeId: e.envelopeId,
			experimentId: e.experimentId,
			kind: e.kind,
			amountCents: e.amountCents,
			commitmentId: e.kind === 'payment' ? e.commitmentId : null,
			reference: e.reference,
			category: e.category ?? '',
			authorId: ctx.actor?.accountId ?? null
		});
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: `ledger.${e.kind}`,
			subjectType: 'ledger_entry',
			subjectId: id,
			summary: { amountCents: e.amountCents }
		});
		return id;
	});
}

/** Corrects a mistake with a reversal entry (never an edit), if the ledger stays consistent. */
export async function reverseEntry(db: Kysely<Database>, ctx: LabContext, entryId: string, reason: string): Promise<string> {
	authorize(ctx.role, 'fund.manage');
	const orig = await db.selectFrom('ledger_entry').where('id', '=', entryId).where('lab_id', '=', ctx.lab.id).selectAll().executeTakeFirst();
	if (!orig) throw new DomainError('fund.notFound', 404);
	return withEnvelopeLock(db, orig.envelope_id, async (trx) => {
		if (orig.reverses_id || (await trx.selectFrom('ledger_entry').where('reverses_id', '=', entryId).select('id').executeTakeFirst()))
			throw new DomainError('fund.alreadyReversed', 409);
		const amount = Number(orig.amount_cents);
		const kind = orig.kind as EntryKind;
		const a = await experimentAllocation(trx, orig.envelope_id, orig.experiment_id);
		if (kind === 'allocation' && amount > a.unspent) throw new DomainError('fund.reversalBreaks', 409);
		if (kind === 'release' && amount > (await envelopeBalance(trx, orig.envelope_id)).available) throw new DomainError('fund.reversalBreaks', 409);
		if (kind === 'commitment') {
			const paid = await trx
				.selectFrom('ledger_entry')
				.where('commitment_id', '=', entryId)
				.where('kind', '=', 'payment')
				.select((eb) => eb.fn.sum<number>('amount_cents').as('n'))
				.executeTakeFirst();
			if (Number(paid?.n ?? 0) > 0) throw new DomainError('fund.reversalBreaks', 409);
		}
		const id = await appendEntry(trx, {
			labId: ctx.lab.id,
			envelopeId: orig.envelope_id,
			experimentId: orig.experiment_id,
			kind,
			amountCents: -amount,
			reversesId: entryId,
			commitmentId: kind === 'commitment' ? entryId : orig.commitment_id,
			reference: reason,
			authorId: ctx.actor?.accountId ?? null
		});
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'ledger.reverse',
			subjectType: 'ledger_entry',
			subjectId: entryId,
			summary: { reason }
		});
		return id;
	});
}

export async function balanceOf(db: Kysely<Database>, ctx: LabContext, envelopeId: string): Promise<Balance> {
	authorize(ctx.role, 'fund.view');
	await ownEnvelope(db, ctx, envelopeId);
	return envelopeBalance(db, envelopeId);
}

/** A reviewer's comment on a submitted or reviewed request. */
export async function commentRequest(db: Kysely<Database>, ctx: LabContext, requestId: string, body: string): Promise<void> {
	authorize(ctx.role, 'fund.review');
	await inTransaction(db, async (trx) => {
		const r = await trx
			.selectFrom('funding_request')
			.where('id', '=', requestId)
			.where('lab_id', '=', ctx.lab.id)
			.select(['state', 'experiment_id', 'envelope_id'])
			.executeTakeFirst();
		if (!r || !(await mayReadRequest(trx, ctx, r.experiment_id, r.envelope_id))) throw new DomainError('fund.notFound', 404);
		if (r.state !== 'submitted' && r.state !== 'under_review') throw new DomainError('fund.commentClosed', 409);
		await trx
			.insertInto('funding_request_comment')
			.values({ id: newId(), request_id: requestId, author_id: ctx.actor?.accountId ?? null, body, created_at: nowIso() })
			.execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'fundingRequest.comment',
			subjectType: 'funding_request',
			subjectId: requestId
		});
	});
}

/** Whether the caller may read a request (for its attachments). */
export async function canReadRequest(db: Kysely<Database>, ctx: LabContext, requestId: string): Promise<boolean> {
	if (!can(ctx.role, 'fund.view')) return false;
	const r = await db
		.selectFrom('funding_request')
		.where('id', '=', requestId)
		.where('lab_id', '=', ctx.lab.id)
		.select(['experiment_id', 'envelope_id'])
		.executeTakeFirst();
	return Boolean(r) && (await mayReadRequest(db, ctx, r!.experiment_id, r!.envelope_id));
}

/** What the public may see of the fund, when the lab publishes it: funded experiments and amounts. */
export async function publicFunding(db: Kysely<Database>, labId: string): Promise<{ title: string; year: number; grantedCents: number }[]> {
	if (!(await labSettings(db, labId)).publishFunding) return [];
	const rows = await db
		.selectFrom('funding_request as r')
		.innerJoin('envelope as e', 'e.id', 'r.envelope_id')
		.where('r.lab_id', '=', labId)
		.where('r.state', '=', 'approved')
		.groupBy(['r.experiment_id', 'e.year'])
		.select((eb) => [experimentTitle(eb.ref('r.experiment_id')).as('title'), 'e.year', eb.fn.sum<number>('r.decided_amount_cents').as('n')])
		.orderBy('e.year', 'desc')
		.orderBy('title')
		.execute();
	return rows.map((r) => ({ title: r.title ?? '', year: r.year, grantedCents: Number(r.n) }));
}

export {
	type EnvelopeView,
	type FundView,
	type LedgerRow,
	type MonthPoint,
	type RequestDetail,
	type RequestSummary,
	consumptionByMonth,
	fundOptions,
	getRequest,
	listFunds,
	listLedger,
	listRequests,
	monthlyConsumption
} from './views';
