import type { Kysely } from 'kysely';

// Installation administration: an account can be disabled everywhere at once. While
// `disabled_at` is set the account cannot log in, has no session and gets no reset link.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('account').addColumn('disabled_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('account').dropColumn('disabled_at').execute();
}
