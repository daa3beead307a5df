import { PostgresAdapter, sql, type Kysely } from 'kysely';

// The experimentation fund: funds, yearly envelopes, funding requests and an append-only
// ledger. Amounts are integer cents; balances are sums over ledger entries, never stored.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('fund')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('deciders', 'text', (c) => c.notNull().defaultTo('coordinator'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('fund_committee')
		.addColumn('fund_id', 'text', (c) => c.notNull().references('fund.id').onDelete('cascade'))
		.addColumn('account_id', 'text', (c) => c.notNull().references('account.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('fund_committee_pk', ['fund_id', 'account_id'])
		.execute();

	await db.schema
		.createTable('envelope')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('fund_id', 'text', (c) => c.notNull().references('fund.id').onDelete('cascade'))
		.addColumn('year', 'integer', (c) => c.notNull())
		.addColumn('amount_cents', 'bigint', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('envelope_fund_year_uq', ['fund_id', 'year'])
		.execute();

	await db.schema
		.createTable('funding_request')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('envelope_id', 'text', (c) => c.notNull().references('envelope.id'))
		.addColumn('experiment_id', 'text', (c) => c.notNull().references('experiment.id'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('amount_cents', 'bigint', (c) => c.notNull())
		.addColumn('justification', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('state', 'text', (c) => c.notNull())
		.addColumn('decided_amount_cents', 'bigint')
		.addColumn('decision_reason', 'text')
		.addColumn('decided_by', 'text')
		.addColumn('decided_at', 'text')
		.addColumn('submitted_at', 'text')
		.addColumn('created_by', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('funding_request_lab_idx').on('funding_request').columns(['lab_id', 'state']).execute();

	await db.schema
		.createTable('funding_request_line')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('request_id', 'text', (c) => c.notNull().references('funding_request.id').onDelete('cascade'))
		.addColumn('label', 'text', (c) => c.notNull())
		.addColumn('category', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('amount_cents', 'bigint', (c) => c.notNull())
		.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();

	await db.schema
		.createTable('funding_request_comment')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('request_id', 'text', (c) => c.notNull().references('funding_request.id').onDelete('cascade'))
		.addColumn('author_id', 'text')
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('funding_request_comment_idx').on('funding_request_comment').columns(['request_id', 'created_at']).execute();

	await db.schema
		.createTable('ledger_entry')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('envelope_id', 'text', (c) => c.notNull().references('envelope.id'))
		.addColumn('experiment_id', 'text', (c) => c.notNull().references('experiment.id'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('amount_cents', 'bigint', (c) => c.notNull())
		.addColumn('request_id', 'text')
		.addColumn('commitment_id', 'text')
		.addColumn('reverses_id', 'text')
		.addColumn('reference', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('category', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('author_id', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('ledger_envelope_idx').on('ledger_entry').columns(['envelope_id', 'kind', 'experiment_id']).execute();
	await db.schema.createIndex('ledger_commitment_idx').on('ledger_entry').column('commitment_id').execute();

	// Running totals per envelope and kind, updated in the same transaction as each entry so the
	// fund page does not sum a million rows; tests check them against the sums of the ledger.
	await db.schema
		.createTable('envelope_total')
		.addColumn('envelope_id', 'text', (c) => c.notNull().references('envelope.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('amount_cents', 'bigint', (c) => c.notNull())
		.addPrimaryKeyConstraint('envelope_total_pk', ['envelope_id', 'kind'])
		.execute();

	// The ledger is append-only: mistakes are corrected by reversal entries.
	if (db.getExecutor().adapter instanceof PostgresAdapter) {
		await sql`create function ledger_entry_immutable() returns trigger language plpgsql as $$
			begin raise exception 'ledger_entry is append-only'; end $$`.execute(db);
		await sql`create trigger ledger_entry_no_change before update or delete on ledger_entry
			for each row execute function ledger_entry_immutable()`.execute(db);
	} else {
		await sql`create trigger ledger_entry_no_update before update on ledger_entry
			begin select raise(abort, 'ledger_entry is append-only'); end`.execute(db);
		await sql`create trigger ledger_entry_no_delete before delete on ledger_entry
			begin select raise(abort, 'ledger_entry is append-only'); end`.execute(db);
	}
}

export async function down(): Promise<void> {
	throw new Error('Not reversible');
}
