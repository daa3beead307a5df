import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { nowIso } from '../db/util';

/**
 * Each lab's public content version: one row, moved forward in the same transaction as every
 * write that changes what the lab's public site shows (posts, pages, comments and their
 * moderation, published experiments, public knowledge, funding shown publicly, lab settings,
 * redirects, images). Anything a server keeps in memory about a public page is valid only for the
 * version it was made at; a write on any server of the database changes the version, so every
 * server sees its copy is old at its next read of the row.
 */
export interface ContentVersion {
	version: number;
	/** When the version last moved; null when the lab's public site never changed since the row exists. */
	changedAt: string | null;
	/** The earliest time a scheduled post is due (see setNextPublish); null when none. */
	nextPublishAt: string | null;
}

/**
 * Moves the lab's public content version forward. Call it with the transaction of the write (so
 * the new version and the change commit together); `publishAt`: the write scheduled a post at
 * that time, the row remembers the earliest such time.
 */
export async function bumpContentVersion(trx: Kysely<Database>, labId: string, opts: { publishAt?: string } = {}): Promise<void> {
	const now = nowIso();
	const at = opts.publishAt ?? null;
	await trx
		.insertInto('content_version')
		.values({ lab_id: labId, version: 1, changed_at: now, next_publish_at: at })
		.onConflict((oc) =>
			oc.column('lab_id').doUpdateSet({
				version: sql<number>`content_version.version + 1`,
				changed_at: now,
				next_publish_at:
					at === null
						? sql<string | null>`content_version.next_publish_at`
						: sql<
								string | null
							>`case when content_version.next_publish_at is null or content_version.next_publish_at > ${at} then ${at} else content_version.next_publish_at end`
			})
		)
		.execute();
}

/** The lab's current version: one primary-key read. A lab whose public site never changed is at 0. */
export async function readContentVersion(db: Kysely<Database>, labId: string): Promise<ContentVersion> {
	const row = await db.selectFrom('content_version').where('lab_id', '=', labId).select(['version', 'changed_at', 'next_publish_at']).executeTakeFirst();
	return row
		? { version: Number(row.version), changedAt: row.changed_at, nextPublishAt: row.next_publish_at }
		: { version: 0, changedAt: null, nextPublishAt: null };
}

/** The journal records when its next scheduled post is due (null: none), after publishing those due. */
export async function setNextPublish(db: Kysely<Database>, labId: string, at: string | null): Promise<void> {
	// A lab without a row yet gets one at version 0 (what readContentVersion answers without it).
	await db
		.insertInto('content_version')
		.values({ lab_id: labId, version: 0, changed_at: nowIso(), next_publish_at: at })
		.onConflict((oc) => oc.column('lab_id').doUpdateSet({ next_publish_at: at }))
		.execute();
}
