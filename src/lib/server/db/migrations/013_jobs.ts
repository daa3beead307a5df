import type { Kysely } from 'kysely';

// Several app servers may share one PostgreSQL. Background work becomes claimable:
// - `import_job` rows are durable jobs with a lease (the server running one renews it; once it
//   lapses, another server takes the job over), attempts and a time before which they wait;
// - an outbox message is claimed (state `sending`, with a lease) before it is sent, and keeps a
//   Message-ID fixed when it was queued;
// - `job_tick` holds one row per periodic task: the server whose conditional update moves
//   `next_run_at` forward runs the task for that period.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('import_job')
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema
		.alterTable('import_job')
		.addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(3))
		.execute();
	await db.schema.alterTable('import_job').addColumn('claimed_by', 'text').execute();
	await db.schema.alterTable('import_job').addColumn('lease_until', 'text').execute();
	await db.schema.alterTable('import_job').addColumn('run_after', 'text').execute();
	await db.schema.alterTable('import_job').addColumn('error', 'text').execute();
	await db.schema.alterTable('import_job').addColumn('started_at', 'text').execute();
	await db.schema.alterTable('import_job').addColumn('finished_at', 'text').execute();
	await db.schema.createIndex('import_job_claim_idx').on('import_job').columns(['state', 'run_after']).execute();

	await db.schema.alterTable('outbox_message').addColumn('message_id', 'text').execute();
	await db.schema.alterTable('outbox_message').addColumn('claimed_by', 'text').execute();
	await db.schema.alterTable('outbox_message').addColumn('lease_until', 'text').execute();

	await db.schema
		.createTable('job_tick')
		.addColumn('name', 'text', (c) => c.primaryKey())
		.addColumn('next_run_at', 'text', (c) => c.notNull())
		.addColumn('claimed_by', 'text')
		.addColumn('last_run_at', 'text')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('job_tick').execute();
	for (const c of ['lease_until', 'claimed_by', 'message_id']) await db.schema.alterTable('outbox_message').dropColumn(c).execute();
	await db.schema.dropIndex('import_job_claim_idx').execute();
	for (const c of ['finished_at', 'started_at', 'error', 'run_after', 'lease_until', 'claimed_by', 'max_attempts', 'attempts'])
		await db.schema.alterTable('import_job').dropColumn(c).execute();
}
