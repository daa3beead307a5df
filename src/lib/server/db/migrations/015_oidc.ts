import type { Kysely } from 'kysely';

// Single sign-on through an OpenID Provider (docs/decisions/016-single-sign-on.md):
// - `account_identity` links an account to a subject at a provider (issuer + sub), with the
//   last ProConnect-style claims seen (siret, uid) for the record;
// - `sso_session` keeps, for a login session opened through the provider, the ID token that
//   RP-initiated logout sends back as `id_token_hint`; it goes with its session;
// - `lab_join_domain` lists the e-mail domains a lab's coordinators let in without an
//   invitation, each with the role they get (none by default).

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('account_identity')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('account_id', 'text', (c) => c.notNull().references('account.id').onDelete('cascade'))
		.addColumn('issuer', 'text', (c) => c.notNull())
		.addColumn('subject', 'text', (c) => c.notNull())
		.addColumn('email', 'text')
		.addColumn('siret', 'text')
		.addColumn('uid', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('last_used_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('account_identity_subject_uq', ['issuer', 'subject'])
		.execute();
	await db.schema.createIndex('account_identity_account_idx').on('account_identity').column('account_id').execute();

	await db.schema
		.createTable('sso_session')
		.addColumn('session_id', 'text', (c) => c.primaryKey().references('session.id').onDelete('cascade'))
		.addColumn('issuer', 'text', (c) => c.notNull())
		.addColumn('id_token', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('lab_join_domain')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('domain', 'text', (c) => c.notNull())
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('created_by', 'text', (c) => c.references('account.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('lab_join_domain_uq', ['lab_id', 'domain'])
		.execute();
	await db.schema.createIndex('lab_join_domain_domain_idx').on('lab_join_domain').column('domain').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('lab_join_domain').execute();
	await db.schema.dropTable('sso_session').execute();
	await db.schema.dropTable('account_identity').execute();
}
