import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Migrations never import app code: they must keep working as the app changes.
// Timestamps are ISO-8601 UTC text and booleans 0/1 integers on both dialects.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('lab')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('slug', 'text', (c) => c.notNull().unique())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('region', 'text', (c) => c.notNull())
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('person')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('email', 'text')
		.addColumn('organisation', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('person_email_idx').on('person').column('email').execute();

	await db.schema
		.createTable('account')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('person_id', 'text', (c) => c.notNull().unique().references('person.id').onDelete('cascade'))
		.addColumn('email', 'text', (c) => c.notNull().unique())
		.addColumn('password_hash', 'text', (c) => c.notNull())
		.addColumn('locale', 'text', (c) => c.notNull().defaultTo('fr'))
		.addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('session')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('account_id', 'text', (c) => c.notNull().references('account.id').onDelete('cascade'))
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('session_account_idx').on('session').column('account_id').execute();

	await db.schema
		.createTable('membership')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('account_id', 'text', (c) => c.notNull().references('account.id').onDelete('cascade'))
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('membership_lab_account_uq', ['lab_id', 'account_id'])
		.execute();
	await db.schema.createIndex('membership_account_idx').on('membership').column('account_id').execute();
	await db.schema.createIndex('membership_lab_role_idx').on('membership').columns(['lab_id', 'role']).execute();

	await db.schema
		.createTable('invitation')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('invited_by', 'text', (c) => c.references('account.id').onDelete('set null'))
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('accepted_at', 'text')
		.addColumn('revoked_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('invitation_lab_idx').on('invitation').columns(['lab_id', 'email']).execute();

	await db.schema
		.createTable('password_reset')
		.addColumn('token_hash', 'text', (c) => c.primaryKey())
		.addColumn('account_id', 'text', (c) => c.notNull().references('account.id').onDelete('cascade'))
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('used_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('audit_entry')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text')
		.addColumn('actor_id', 'text')
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('subject_type', 'text', (c) => c.notNull())
		.addColumn('subject_id', 'text')
		.addColumn('summary', 'text', (c) => c.notNull().defaultTo('{}'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('audit_lab_time_idx').on('audit_entry').columns(['lab_id', 'created_at']).execute();

	await db.schema
		.createTable('outbox_message')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.references('lab.id').onDelete('set null'))
		.addColumn('to_address', 'text', (c) => c.notNull())
		.addColumn('subject', 'text', (c) => c.notNull())
		.addColumn('text_body', 'text', (c) => c.notNull())
		.addColumn('html_body', 'text')
		.addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('last_error', 'text')
		.addColumn('next_attempt_at', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('sent_at', 'text')
		.execute();
	await db.schema.createIndex('outbox_state_idx').on('outbox_message').columns(['state', 'next_attempt_at']).execute();
	await db.schema.createIndex('outbox_lab_idx').on('outbox_message').columns(['lab_id', 'created_at']).execute();

	await db.schema
		.createTable('rate_limit')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('count', 'integer', (c) => c.notNull())
		.addColumn('reset_at', 'text', (c) => c.notNull())
		.execute();

	// The audit log is append-only for everyone, the app included.
	if (db.getExecutor().adapter instanceof PostgresAdapter) {
		await sql`create function audit_entry_immutable() returns trigger language plpgsql as $$
			begin raise exception 'audit_entry is append-only'; end $$`.execute(db);
		await sql`create trigger audit_entry_no_update before update or delete on audit_entry
			for each row execute function audit_entry_immutable()`.execute(db);
	} else {
		await sql`create trigger audit_entry_no_update before update on audit_entry
			begin select raise(abort, 'audit_entry is append-only'); end`.execute(db);
		await sql`create trigger audit_entry_no_delete before delete on audit_entry
			begin select raise(abort, 'audit_entry is append-only'); end`.execute(db);
	}
}

export async function down(): Promise<void> {
	throw new Error('The foundation migration cannot be reverted');
}
