import type { Kysely } from 'kysely';

// An event can be cancelled: it stays in the history, marked, with the reason given.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('event').addColumn('cancelled_at', 'text').execute();
	await db.schema
		.alterTable('event')
		.addColumn('cancel_reason', 'text', (c) => c.notNull().defaultTo(''))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('event').dropColumn('cancel_reason').execute();
	await db.schema.alterTable('event').dropColumn('cancelled_at').execute();
}
