import type { Kysely } from 'kysely';

// Servers keep rendered public pages (and other public renderings) in memory. Each lab has one
// `content_version` row that every write changing its public site moves forward in the same
// transaction: a server compares the version it rendered at with this row (one primary-key read)
// and renders again when another server, or itself, has written since.
// `next_publish_at` is the earliest time a scheduled post of the lab is due: once it has passed,
// the next request publishes the post (and so moves the version) before any copy is served.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('content_version')
		.addColumn('lab_id', 'text', (c) => c.primaryKey().references('lab.id').onDelete('cascade'))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('changed_at', 'text', (c) => c.notNull())
		.addColumn('next_publish_at', 'text')
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('content_version').execute();
}
