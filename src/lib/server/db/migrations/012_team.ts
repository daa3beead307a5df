import type { Kysely } from 'kysely';

// An experiment's team member can be a known person (a lab member or a network referent):
// their id is kept beside the name; the name alone stays for people from outside.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.alterTable('experiment_role')
		.addColumn('person_id', 'text', (c) => c.references('person.id').onDelete('set null'))
		.execute();
}

export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('experiment_role').dropColumn('person_id').execute();
}
