import { PostgresAdapter, sql, type Kysely } from 'kysely';

// The lab's core: events, knowledge items with versions and tags, inline links, and one
// search index over everything (FTS5 on SQLite, tsvector + unaccent + French stemming on
// PostgreSQL — the only dialect branch here).

export async function up(db: Kysely<any>): Promise<void> {
	const isPg = db.getExecutor().adapter instanceof PostgresAdapter;

	await db.schema
		.createTable('event')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('starts_at', 'text', (c) => c.notNull())
		.addColumn('ends_at', 'text', (c) => c.notNull())
		.addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('online_url', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('agenda', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('minutes', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('created_by', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('event_lab_start_idx').on('event').columns(['lab_id', 'starts_at']).execute();

	await db.schema
		.createTable('event_participant')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('person_id', 'text', (c) => c.references('person.id').onDelete('set null'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('organisation', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('role', 'text', (c) => c.notNull())
		.addColumn('attended', 'integer')
		.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema.createIndex('event_participant_event_idx').on('event_participant').column('event_id').execute();
	await db.schema.createIndex('event_participant_person_idx').on('event_participant').column('person_id').execute();

	await db.schema
		.createTable('event_decision')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('event_id', 'text', (c) => c.notNull().references('event.id').onDelete('cascade'))
		.addColumn('text', 'text', (c) => c.notNull())
		.addColumn('owner', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('due_on', 'text')
		.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema.createIndex('event_decision_event_idx').on('event_decision').column('event_id').execute();

	await db.schema
		.createTable('file')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('owner_type', 'text', (c) => c.notNull())
		.addColumn('owner_id', 'text', (c) => c.notNull())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('mime', 'text', (c) => c.notNull())
		.addColumn('size', 'integer', (c) => c.notNull())
		.addColumn('sha256', 'text', (c) => c.notNull())
		.addColumn('created_by', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('file_owner_idx').on('file').columns(['lab_id', 'owner_type', 'owner_id']).execute();

	// A personal, revocable secret that lets a calendar application read a lab's events.
	await db.schema
		.createTable('calendar_token')
		.addColumn('token_hash', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('account_id', 'text', (c) => c.notNull().references('account.id').onDelete('cascade'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('calendar_token_uq', ['lab_id', 'account_id'])
		.execute();

	await db.schema
		.createTable('knowledge_item')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('type', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('visibility', 'text', (c) => c.notNull().defaultTo('lab'))
		.addColumn('source_type', 'text')
		.addColumn('source_id', 'text')
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('created_by', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('knowledge_lab_type_idx').on('knowledge_item').columns(['lab_id', 'type']).execute();
	await db.schema.createIndex('knowledge_source_idx').on('knowledge_item').columns(['source_type', 'source_id']).execute();

	await db.schema
		.createTable('knowledge_version')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('item_id', 'text', (c) => c.notNull().references('knowledge_item.id').onDelete('cascade'))
		.addColumn('version', 'integer', (c) => c.notNull())
		.addColumn('type', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('visibility', 'text', (c) => c.notNull())
		.addColumn('author_id', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('knowledge_version_uq', ['item_id', 'version'])
		.execute();

	await db.schema
		.createTable('tag')
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('subject_type', 'text', (c) => c.notNull())
		.addColumn('subject_id', 'text', (c) => c.notNull())
		.addColumn('tag', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('tag_pk', ['subject_type', 'subject_id', 'tag'])
		.execute();
	await db.schema.createIndex('tag_lab_tag_idx').on('tag').columns(['lab_id', 'tag']).execute();

	await db.schema
		.createTable('experiment')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('scenario', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('sponsor', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('operator', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('partners', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('lineage_type', 'text')
		.addColumn('lineage_id', 'text')
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('conclusions', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('created_by', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('experiment_lab_status_idx').on('experiment').columns(['lab_id', 'status']).execute();

	await db.schema
		.createTable('experiment_status_change')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('experiment_id', 'text', (c) => c.notNull().references('experiment.id').onDelete('cascade'))
		.addColumn('from_status', 'text')
		.addColumn('to_status', 'text', (c) => c.notNull())
		.addColumn('changed_at', 'text', (c) => c.notNull())
		.addColumn('actor_id', 'text')
		.execute();
	await db.schema.createIndex('experiment_status_change_idx').on('experiment_status_change').columns(['experiment_id', 'changed_at']).execute();

	await db.schema
		.createTable('experiment_milestone')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('experiment_id', 'text', (c) => c.notNull().references('experiment.id').onDelete('cascade'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('due_on', 'text', (c) => c.notNull())
		.addColumn('state', 'text', (c) => c.notNull().defaultTo('planned'))
		.execute();
	await db.schema.createIndex('experiment_milestone_idx').on('experiment_milestone').columns(['experiment_id', 'due_on']).execute();

	await db.schema
		.createTable('experiment_role')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('experiment_id', 'text', (c) => c.notNull().references('experiment.id').onDelete('cascade'))
		.addColumn('responsibility', 'text', (c) => c.notNull())
		.addColumn('person_name', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('estimated_days', 'real', (c) => c.notNull().defaultTo(0))
		.addColumn('actual_days', 'real', (c) => c.notNull().defaultTo(0))
		.addUniqueConstraint('experiment_role_uq', ['experiment_id', 'responsibility'])
		.execute();

	await db.schema
		.createTable('experiment_test')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('experiment_id', 'text', (c) => c.notNull().references('experiment.id').onDelete('cascade'))
		.addColumn('knowledge_id', 'text', (c) => c.notNull().references('knowledge_item.id').onDelete('cascade'))
		.addColumn('verdict', 'text')
		.addColumn('evidence', 'text', (c) => c.notNull().defaultTo(''))
		.addUniqueConstraint('experiment_test_uq', ['experiment_id', 'knowledge_id'])
		.execute();
	await db.schema.createIndex('experiment_test_knowledge_idx').on('experiment_test').column('knowledge_id').execute();

	// Partners see an experiment only when they are listed here.
	await db.schema
		.createTable('experiment_member')
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('experiment_id', 'text', (c) => c.notNull().references('experiment.id').onDelete('cascade'))
		.addColumn('account_id', 'text', (c) => c.notNull().references('account.id').onDelete('cascade'))
		.addPrimaryKeyConstraint('experiment_member_pk', ['experiment_id', 'account_id'])
		.execute();

	// Inline references between records of one lab; rebuilt whenever a text changes.
	await db.schema
		.createTable('link')
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('from_type', 'text', (c) => c.notNull())
		.addColumn('from_id', 'text', (c) => c.notNull())
		.addColumn('to_type', 'text', (c) => c.notNull())
		.addColumn('to_id', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('link_pk', ['from_type', 'from_id', 'to_type', 'to_id'])
		.execute();
	await db.schema.createIndex('link_to_idx').on('link').columns(['to_type', 'to_id']).execute();

	// What the search service indexes: one row per searchable record.
	await db.schema
		.createTable('search_document')
		.addColumn('doc_type', 'text', (c) => c.notNull())
		.addColumn('doc_id', 'text', (c) => c.notNull())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('subtype', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('status', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('visibility', 'text', (c) => c.notNull())
		.addColumn('doc_date', 'text', (c) => c.notNull())
		.addColumn('tags', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('audience', 'text', (c) => c.notNull().defaultTo(''))
		// SQLite only: the row of this document in the FTS5 index (stable across VACUUM).
		.addColumn('fts_rowid', 'integer')
		.addPrimaryKeyConstraint('search_document_pk', ['doc_type', 'doc_id'])
		.execute();
	await db.schema.createIndex('search_document_lab_idx').on('search_document').columns(['lab_id', 'doc_type']).execute();
	await db.schema.createIndex('search_document_date_idx').on('search_document').columns(['lab_id', 'doc_date']).execute();

	if (isPg) {
		await sql`create extension if not exists unaccent`.execute(db);
		await sql`create text search configuration labo_french (copy = french)`.execute(db);
		await sql`alter text search configuration labo_french
			alter mapping for hword, hword_part, word with unaccent, french_stem`.execute(db);
		await sql`alter table search_document add column tsv tsvector generated always as (
			setweight(to_tsvector('labo_french'::regconfig, title), 'A') ||
			setweight(to_tsvector('labo_french'::regconfig, body), 'B')) stored`.execute(db);
		await sql`create index search_document_tsv_idx on search_document using gin (tsv)`.execute(db);
	} else {
		// The lab and the visibility are indexed as tokens so that FTS5 itself filters on them.
		await sql`create virtual table search_fts using fts5(
			lab, vis, title, body,
			tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')`.execute(db);
		await sql`insert into search_fts (search_fts, rank) values ('rank', 'bm25(0.0, 0.0, 6.0, 1.0)')`.execute(db);
		await db.schema.createIndex('search_document_fts_idx').on('search_document').column('fts_rowid').execute();
	}
}

export async function down(): Promise<void> {
	throw new Error('Not reversible');
}
