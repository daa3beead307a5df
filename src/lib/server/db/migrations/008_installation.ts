import type { Kysely } from 'kysely';

// Installation-wide settings shared by every server of one database: the installation's
// secret (generated once, so several servers agree on it without configuration).

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('install_setting')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('value', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('install_setting').execute();
}
