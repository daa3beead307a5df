import type { Kysely } from 'kysely';

// Commissioning: specifications (cahiers des charges), templates and exemplary references,
// each with every version of its sections kept.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('specification')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull()) // specification | template | reference
		.addColumn('experiment_id', 'text', (c) => c.references('experiment.id').onDelete('set null'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('state', 'text', (c) => c.notNull().defaultTo('draft'))
		.addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('rating', 'integer')
		.addColumn('operator', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('awarded_cents', 'bigint')
		.addColumn('commitment_id', 'text')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_by', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('specification_lab_kind_idx').on('specification').columns(['lab_id', 'kind']).execute();

	await db.schema
		.createTable('specification_version')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('spec_id', 'text', (c) => c.notNull().references('specification.id').onDelete('cascade'))
		.addColumn('version', 'integer', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('sections', 'text', (c) => c.notNull()) // JSON: [{ key, title, body }]
		.addColumn('author_id', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('specification_version_uq', ['spec_id', 'version'])
		.execute();
}

export async function down(): Promise<void> {
	throw new Error('Not reversible');
}
