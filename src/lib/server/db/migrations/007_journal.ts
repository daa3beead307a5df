import type { Kysely } from 'kysely';

// The journal and the public site: numbered posts (and plain pages) with authors and tags,
// comments with their moderation state, redirects from an imported blog's old addresses,
// per-person notification choices; experiments a lab chose to publish.

export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('post')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull().defaultTo('post')) // post | page
		.addColumn('slug', 'text', (c) => c.notNull())
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('series', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('episode', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('episode_sort', 'text', (c) => c.notNull().defaultTo('')) // zero-padded parts: "0009.0002"
		.addColumn('excerpt', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('cover_file_id', 'text')
		.addColumn('by_lab', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('state', 'text', (c) => c.notNull()) // draft | scheduled | published | unpublished
		.addColumn('publish_at', 'text')
		.addColumn('published_at', 'text')
		.addColumn('preview_token', 'text', (c) => c.notNull().unique())
		.addColumn('comments_open', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('source_ref', 'text') // an imported item's id in its source (WordPress)
		.addColumn('created_by', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.addUniqueConstraint('post_slug_uq', ['lab_id', 'slug'])
		.execute();
	await db.schema.createIndex('post_lab_state_idx').on('post').columns(['lab_id', 'state', 'published_at']).execute();
	await db.schema.createIndex('post_source_idx').on('post').columns(['lab_id', 'source_ref']).execute();
	await db.schema.createIndex('post_episode_idx').on('post').columns(['lab_id', 'episode']).execute();

	await db.schema
		.createTable('post_author')
		.addColumn('post_id', 'text', (c) => c.notNull().references('post.id').onDelete('cascade'))
		.addColumn('person_id', 'text', (c) => c.references('person.id').onDelete('set null'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema.createIndex('post_author_post_idx').on('post_author').column('post_id').execute();

	await db.schema
		.createTable('post_tag')
		.addColumn('post_id', 'text', (c) => c.notNull().references('post.id').onDelete('cascade'))
		.addColumn('lab_id', 'text', (c) => c.notNull())
		.addColumn('tag', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('post_tag_pk', ['post_id', 'tag'])
		.execute();
	await db.schema.createIndex('post_tag_lab_idx').on('post_tag').columns(['lab_id', 'tag']).execute();

	await db.schema
		.createTable('comment')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('post_id', 'text', (c) => c.notNull().references('post.id').onDelete('cascade'))
		.addColumn('parent_id', 'text', (c) => c.references('comment.id').onDelete('cascade'))
		.addColumn('person_id', 'text', (c) => c.references('person.id').onDelete('set null'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('email_hash', 'text', (c) => c.notNull().defaultTo(''))
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('state', 'text', (c) => c.notNull()) // pending | approved | spam | rejected
		.addColumn('source_ref', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('moderated_at', 'text')
		.addColumn('moderated_by', 'text')
		.execute();
	await db.schema.createIndex('comment_post_idx').on('comment').columns(['post_id', 'state', 'created_at']).execute();
	await db.schema.createIndex('comment_lab_state_idx').on('comment').columns(['lab_id', 'state', 'created_at']).execute();
	await db.schema.createIndex('comment_email_idx').on('comment').columns(['lab_id', 'email_hash']).execute();

	await db.schema
		.createTable('redirect')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('from_path', 'text', (c) => c.notNull())
		.addColumn('to_path', 'text', (c) => c.notNull())
		.addUniqueConstraint('redirect_uq', ['lab_id', 'from_path'])
		.execute();

	// How a member wants to hear about new comments: each one, a daily digest, or not at all.
	await db.schema
		.createTable('journal_notify')
		.addColumn('lab_id', 'text', (c) => c.notNull().references('lab.id').onDelete('cascade'))
		.addColumn('account_id', 'text', (c) => c.notNull().references('account.id').onDelete('cascade'))
		.addColumn('mode', 'text', (c) => c.notNull()) // each | digest | none
		.addColumn('last_digest_at', 'text')
		.addPrimaryKeyConstraint('journal_notify_pk', ['lab_id', 'account_id'])
		.execute();

	await db.schema
		.alterTable('experiment')
		.addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
}

export async function down(): Promise<void> {
	throw new Error('Not reversible');
}
