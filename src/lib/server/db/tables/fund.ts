/** Row types of the tables the `fund` domain owns (see src/lib/server/architecture.ts). */

export interface FundTable {
	id: string;
	lab_id: string;
	name: string;
	deciders: string; // coordinator | committee
	created_at: string;
}

export interface FundCommitteeTable {
	fund_id: string;
	account_id: string;
}

export interface EnvelopeTable {
	id: string;
	lab_id: string;
	fund_id: string;
	year: number;
	amount_cents: number;
	created_at: string;
}

export interface FundingRequestTable {
	id: string;
	lab_id: string;
	envelope_id: string;
	experiment_id: string;
	title: string;
	amount_cents: number;
	justification: string;
	state: string;
	decided_amount_cents: number | null;
	decision_reason: string | null;
	decided_by: string | null;
	decided_at: string | null;
	submitted_at: string | null;
	created_by: string | null;
	created_at: string;
	updated_at: string;
	// What the grants open-data file needs (migration 016).
	beneficiary_name?: string | null;
	beneficiary_siret?: string | null;
	beneficiary_rna?: string | null;
	agreement_date?: string | null;
	decision_reference?: string | null;
	aid_nature?: string | null;
	payment_terms?: string | null;
	eu_notified?: number;
}

export interface FundingRequestLineTable {
	id: string;
	request_id: string;
	label: string;
	category: string;
	amount_cents: number;
	position: number;
}

export interface LedgerEntryTable {
	id: string;
	lab_id: string;
	envelope_id: string;
	experiment_id: string;
	kind: string; // allocation | commitment | payment | release | reversal
	amount_cents: number;
	request_id: string | null;
	commitment_id: string | null;
	reverses_id: string | null;
	reference: string;
	category: string;
	author_id: string | null;
	created_at: string;
}

export interface FundingRequestCommentTable {
	id: string;
	request_id: string;
	author_id: string | null;
	body: string;
	created_at: string;
}

export interface EnvelopeTotalTable {
	envelope_id: string;
	kind: string;
	amount_cents: number;
}
