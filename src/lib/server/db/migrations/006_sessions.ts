import type { Kysely } from 'kysely';

// Co-production sessions: an event's participants with their attributes, the organiser's
// settings, and every version of the groups (plans) with their members and facilitators.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('session_participant')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('person_id', 'text', (c) => c.references('person.id').onDelete('set null'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('organisation', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('actor_type', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('scale', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('directorate', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}')) // JSON: lab-defined attributes
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('view_token', 'text', (c) => c.notNull().unique())
		.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('session_participant_event_idx').on('session_participant').column('event_id').execute();

	await db.schema
		.createTable('group_attribute')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('key', 'text', (c) => c.notNull())
		.addColumn('label', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) => c.notNull()) // categorical | numeric
		.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
		.addUniqueConstraint('group_attribute_uq', ['lab_id', 'key'])
		.execute();

	await db.schema
		.createTable('group_session')
		.addColumn('event_id', 'text', (c) => c.primaryKey().references('event.id').onDelete('cascade'))
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('settings', 'text', (c) => c.notNull()) // JSON
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('group_plan')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('version', 'integer', (c) => c.notNull())
		.addColumn('groups', 'integer', (c) => c.notNull())
		.addColumn('settings', 'text', (c) => c.notNull()) // JSON snapshot
		.addColumn('score', 'double precision', (c) => c.notNull())
		.addColumn('source', 'text', (c) => c.notNull()) // solver | manual
		.addColumn('created_by', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('group_plan_uq', ['event_id', 'version'])
		.execute();

	await db.schema
		.createTable('group_member')
		.addColumn('plan_id', 'text', (c) => c.notNull().references('group_plan.id').onDelete('cascade'))
		.addColumn('participant_id', 'text', (c) => c.notNull().references('session_participant.id').onDelete('cascade'))
		.addColumn('group_index', 'integer', (c) => c.notNull())
		.addPrimaryKeyConstraint('group_member_pk', ['plan_id', 'participant_id'])
		.execute();

	await db.schema
		.createTable('group_facilitator')
		.addColumn('plan_id', 'text', (c) => c.notNull().references('group_plan.id').onDelete('cascade'))
		.addColumn('group_index', 'integer', (c) => c.notNull())
		.addColumn('referent_id', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('role', 'text', (c) => c.notNull()) // lead | second
		.addPrimaryKeyConstraint('group_facilitator_pk', ['plan_id', 'referent_id'])
		.execute();

	await db.schema
		.createTable('group_output')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('group_index', 'integer', (c) => c.notNull())
		.addColumn('knowledge_id', 'text', (c) => c.notNull().references('knowledge_item.id').onDelete('cascade'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
}

export async function down(): Promise<void> {
	throw new Error('Not reversible');
}
