/**
 * Funding requests seen as grants: the details the grants open-data file needs (beneficiary,
 * agreement, decision reference, nature, payment terms), their form, and the approved requests
 * with their payment dates for the `opendata` domain.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, nowIso } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import type { LabContext } from '../labs';
import { isoToParis } from '$lib/shared/time';
import type { GrantDetailsInput } from '$lib/shared/opendata';

export interface GrantDetails {
	beneficiaryName: string | null;
	beneficiarySiret: string | null;
	beneficiaryRna: string | null;
	agreementDate: string | null;
	decisionReference: string | null;
	aidNature: string | null;
	paymentTerms: string | null;
	euNotified: boolean;
}

/** An approved funding request as a grant, for the open-data files. */
export interface GrantRecord extends GrantDetails {
	requestId: string;
	title: string;
	/** The envelope's year: the budget year the grant belongs to. */
	year: number;
	grantedCents: number;
	decidedAt: string | null;
	/** Days (Paris) of the payments recorded in the ledger for the request's experiment and envelope, oldest first. */
	paymentDays: string[];
}

const DETAIL_COLUMNS = [
	'r.beneficiary_name',
	'r.beneficiary_siret',
	'r.beneficiary_rna',
	'r.agreement_date',
	'r.decision_reference',
	'r.aid_nature',
	'r.payment_terms',
	'r.eu_notified'
] as const;

type DetailRow = {
	beneficiary_name?: string | null;
	beneficiary_siret?: string | null;
	beneficiary_rna?: string | null;
	agreement_date?: string | null;
	decision_reference?: string | null;
	aid_nature?: string | null;
	payment_terms?: string | null;
	eu_notified?: number | string | boolean;
};

function toDetails(r: DetailRow): GrantDetails {
	return {
		beneficiaryName: r.beneficiary_name ?? null,
		beneficiarySiret: r.beneficiary_siret ?? null,
		beneficiaryRna: r.beneficiary_rna ?? null,
		agreementDate: r.agreement_date ?? null,
		decisionReference: r.decision_reference ?? null,
		aidNature: r.aid_nature ?? null,
		paymentTerms: r.payment_terms ?? null,
		euNotified: Number(r.eu_notified ?? 0) === 1
	};
}

/** The grant details of one request of the lab (anyone who may read the fund's requests). */
export async function grantDetails(db: Kysely<Database>, ctx: LabContext, requestId: string): Promise<GrantDetails> {
	authorize(ctx.role, 'fund.view');
	const r = await db
		.selectFrom('funding_request as r')
		.where('r.id', '=', requestId)
		.where('r.lab_id', '=', ctx.lab.id)
		.select(DETAIL_COLUMNS)
		.executeTakeFirst();
	if (!r) throw new DomainError('fund.notFound', 404);
	return toDetails(r);
}

/** Records a request's grant details (those who manage the fund). Blank fields stay missing. */
export async function setGrantDetails(db: Kysely<Database>, ctx: LabContext, requestId: string, input: GrantDetailsInput): Promise<void> {
	authorize(ctx.role, 'fund.manage');
	await inTransaction(db, async (trx) => {
		const res = await trx
			.updateTable('funding_request')
			.set({
				beneficiary_name: input.beneficiaryName,
				beneficiary_siret: input.beneficiarySiret,
				beneficiary_rna: input.beneficiaryRna,
				agreement_date: input.agreementDate,
				decision_reference: input.decisionReference,
				aid_nature: input.aidNature,
				payment_terms: input.paymentTerms,
				eu_notified: input.euNotified ? 1 : 0,
				updated_at: nowIso()
			})
			.where('id', '=', requestId)
			.where('lab_id', '=', ctx.lab.id)
			.executeTakeFirst();
		if (Number(res.numUpdatedRows) !== 1) throw new DomainError('fund.notFound', 404);
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'fundingRequest.grantDetails',
			subjectType: 'funding_request',
			subjectId: requestId
		});
	});
}

/**
 * The lab's approved requests as grants, optionally of one budget year, oldest first. No policy
 * check: the caller (the open-data domain, the command line) decides who may see them.
 */
export async function grantRecords(db: Kysely<Database>, labId: string, year?: number): Promise<GrantRecord[]> {
	let q = db
		.selectFrom('funding_request as r')
		.innerJoin('envelope as e', 'e.id', 'r.envelope_id')
		.where('r.lab_id', '=', labId)
		.where('r.state', '=', 'approved')
		.select(['r.id', 'r.title', 'r.envelope_id', 'r.experiment_id', 'r.decided_amount_cents', 'r.decided_at', 'e.year', ...DETAIL_COLUMNS])
		.orderBy('e.year')
		.orderBy('r.decided_at')
		.orderBy('r.id');
	if (year !== undefined) q = q.where('e.year', '=', year);
	const rows = await q.execute();
	if (rows.length === 0) return [];
	// Payments are recorded per experiment and envelope; a reversed payment does not count.
	const payments = await db
		.selectFrom('ledger_entry as p')
		.where('p.lab_id', '=', labId)
		.where('p.kind', '=', 'payment')
		.where('p.reverses_id', 'is', null)
		.where(({ not, exists, selectFrom }) => not(exists(selectFrom('ledger_entry as rv').whereRef('rv.reverses_id', '=', 'p.id').select('rv.id'))))
		.where('p.envelope_id', 'in', [...new Set(rows.map((r) => r.envelope_id))])
		.select(['p.envelope_id', 'p.experiment_id', 'p.created_at'])
		.orderBy('p.created_at')
		.execute();
	const daysOf = new Map<string, string[]>();
	for (const p of payments) {
		const key = `${p.envelope_id}/${p.experiment_id}`;
		const day = isoToParis(p.created_at).slice(0, 10);
		const list = daysOf.get(key) ?? [];
		if (!list.includes(day)) list.push(day);
		daysOf.set(key, list);
	}
	return rows.map((r) => ({
		...toDetails(r),
		requestId: r.id,
		title: r.title,
		year: Number(r.year),
		grantedCents: Number(r.decided_amount_cents ?? 0),
		decidedAt: r.decided_at,
		paymentDays: daysOf.get(`${r.envelope_id}/${r.experiment_id}`) ?? []
	}));
}
