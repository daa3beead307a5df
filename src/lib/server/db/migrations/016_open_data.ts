import type { Kysely } from 'kysely';

// Open data the law asks for. A funding request gains what the grants file (SCDL "subventions")
// needs: the beneficiary (name, SIRET or RNA number), the agreement's date, the decision's
// reference, the nature of the aid, the payment terms and whether the aid was notified to the
// European Commission. `open_data_file` keeps the files a coordinator published: one snapshot
// per lab, dataset and period (a year, or `all`), replaced when published again.

const GRANT_COLUMNS = [
	'beneficiary_name',
	'beneficiary_siret',
	'beneficiary_rna',
	'agreement_date',
	'decision_reference',
	'aid_nature',
	'payment_terms'
] as const;

export async function up(db: Kysely<any>): Promise<void> {
	for (const c of GRANT_COLUMNS) await db.schema.alterTable('funding_request').addColumn(c, 'text').execute();
	await db.schema
		.alterTable('funding_request')
		.addColumn('eu_notified', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();

	await db.schema
		.createTable('open_data_file')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id'))
		.addColumn('dataset', 'text', (c) => c.notNull())
		.addColumn('period', 'text', (c) => c.notNull())
		.addColumn('content', 'text', (c) => c.notNull())
		.addColumn('row_count', 'integer', (c) => c.notNull())
		.addColumn('published_by', 'text')
		.addColumn('published_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('open_data_file_period_idx').on('open_data_file').columns(['lab_id', 'dataset', 'period']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('open_data_file').execute();
	for (const c of ['eu_notified', ...GRANT_COLUMNS].reverse()) await db.schema.alterTable('funding_request').dropColumn(c).execute();
}
