import type { Kysely } from 'kysely';

// The referent network: profiles that exist only with consent, the lab's list of skills,
// unavailable periods, invitations from an import, self-service links, calls for
// facilitators with one-time answer tokens, assignments; import jobs with their progress;
// and attachments on outgoing mail (calendar invitations).

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('network_skill')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('label', 'text', (c) => c.notNull())
		.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
		.addUniqueConstraint('network_skill_uq', ['lab_id', 'label'])
		.execute();

	await db.schema
		.createTable('referent')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('person_id', 'text', (c) => c.notNull().references('person.id').onDelete('cascade'))
		.addColumn('directorate', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('service', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('territory', 'text', (c) => c.notNull())
		.addColumn('languages', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('days_per_month', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('bio', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('consent_version', 'text', (c) => c.notNull())
		.addColumn('consent_at', 'text', (c) => c.notNull())
		.addColumn('withdrawn_at', 'text')
		.addColumn('erasure_requested_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('referent_person_uq', ['lab_id', 'person_id'])
		.execute();
	await db.schema.createIndex('referent_lab_idx').on('referent').columns(['lab_id', 'withdrawn_at']).execute();

	await db.schema
		.createTable('referent_skill')
		.addColumn('referent_id', 'text', (c) => c.notNull().references('referent.id').onDelete('cascade'))
		.addColumn('skill_id', 'text', (c) => c.notNull().references('network_skill.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('referent_skill_pk', ['referent_id', 'skill_id'])
		.execute();
	await db.schema.createIndex('referent_skill_skill_idx').on('referent_skill').column('skill_id').execute();

	await db.schema
		.createTable('referent_unavailable')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('referent_id', 'text', (c) => c.notNull().references('referent.id').onDelete('cascade'))
		.addColumn('from_day', 'text', (c) => c.notNull())
		.addColumn('to_day', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('referent_unavailable_idx').on('referent_unavailable').column('referent_id').execute();

	// A personal link sent in every mail to a referent: withdraw, download, ask for erasure.
	await db.schema
		.createTable('referent_link')
		.addColumn('token_hash', 'text', (c) => c.primaryKey())
		.addColumn('referent_id', 'text', (c) => c.notNull().references('referent.id').onDelete('cascade'))
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	// An agent proposed by an import; becomes a referent only when they consent through the link.
	await db.schema
		.createTable('network_invitation')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('profile', 'text', (c) => c.notNull()) // JSON: directorate, service, territory, skills, languages, days
		.addColumn('row_hash', 'text', (c) => c.notNull())
		.addColumn('token_hash', 'text', (c) => c.notNull().unique())
		.addColumn('accepted_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('network_invitation_uq', ['lab_id', 'email'])
		.execute();

	await db.schema
		.createTable('import_job')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('state', 'text', (c) => c.notNull()) // ready | running | done | failed
		.addColumn('file_name', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('total', 'integer', (c) => c.notNull())
		.addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('payload', 'text', (c) => c.notNull()) // JSON rows, cleared when done
		.addColumn('result', 'text', (c) => c.notNull().defaultTo('{}'))
		.addColumn('created_by', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('network_call')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('needed', 'integer', (c) => c.notNull())
		.addColumn('min_level', 'text', (c) => c.notNull())
		.addColumn('pair_novices', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('skills', 'text', (c) => c.notNull().defaultTo('[]')) // JSON skill ids
		.addColumn('deadline', 'text', (c) => c.notNull())
		.addColumn('message', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('state', 'text', (c) => c.notNull()) // draft | open | assigned | cancelled
		.addColumn('sent_at', 'text')
		.addColumn('created_by', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('network_call_lab_idx').on('network_call').columns(['lab_id', 'created_at']).execute();

	// referent_id has no foreign key on purpose: after an erasure it stays as an anonymous id.
	await db.schema
		.createTable('call_answer')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('call_id', 'text', (c) => c.notNull().references('network_call.id').onDelete('cascade'))
		.addColumn('referent_id', 'text', (c) => c.notNull())
		.addColumn('token_hash', 'text', (c) => c.unique())
		.addColumn('answer', 'text')
		.addColumn('answered_at', 'text')
		.addColumn('sent_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('call_answer_uq', ['call_id', 'referent_id'])
		.execute();
	await db.schema.createIndex('call_answer_referent_idx').on('call_answer').column('referent_id').execute();

	await db.schema
		.createTable('call_assignment')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('call_id', 'text', (c) => c.notNull().references('network_call.id').onDelete('cascade'))
		.addColumn('referent_id', 'text', (c) => c.notNull())
		.addColumn('role', 'text', (c) => c.notNull()) // facilitator | co_facilitator
		.addColumn('confirmed_at', 'text', (c) => c.notNull())
		.addColumn('reminded_at', 'text')
		.addUniqueConstraint('call_assignment_uq', ['call_id', 'referent_id'])
		.execute();
	await db.schema.createIndex('call_assignment_referent_idx').on('call_assignment').column('referent_id').execute();

	await db.schema.alterTable('outbox_message').addColumn('attachments', 'text').execute();

	// The experience ladder is counted from every participation of a lab's people, grouped by
	// person: this index answers it without reading the table.
	await db.schema
		.createIndex('event_participant_ladder_idx')
		.on('event_participant')
		.columns(['lab_id', 'person_id', 'role', 'event_id', 'attended'])
		.execute();
}

export async function down(): Promise<void> {
	throw new Error('Not reversible');
}
