import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, newId, nowIso } from '../db/util';

/** A checked file waiting for its "Importer" button is forgotten after a day: it holds personal data. */
export const READY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Keeps a checked import as a `ready` job (nothing of it is written yet) and drops the lab's
 * stale ones of the same kind. Returns the job's id, which the confirmation posts back.
 */
export async function stageImportJob(
	db: Kysely<Database>,
	job: { labId: string; kind: string; fileName: string; total: number; payload: string; createdBy: string | null }
): Promise<string> {
	const id = newId();
	const now = nowIso();
	await inTransaction(db, async (trx) => {
		await trx
			.deleteFrom('import_job')
			.where('lab_id', '=', job.labId)
			.where('kind', '=', job.kind)
			.where('state', '=', 'ready')
			.where('created_at', '<', new Date(Date.now() - READY_TTL_MS).toISOString())
			.execute();
		await trx
			.insertInto('import_job')
			.values({
				id,
				lab_id: job.labId,
				kind: job.kind,
				state: 'ready',
				file_name: job.fileName.slice(0, 200),
				total: job.total,
				done: 0,
				payload: job.payload,
				result: '{}',
				created_by: job.createdBy,
				created_at: now,
				updated_at: now
			})
			.execute();
	});
	return id;
}

/**
 * A lab's job of one kind, for the importer that staged it to check it before queueing it;
 * null when there is none (another lab's, another kind's, or forgotten).
 */
export async function findLabJob(
	db: Kysely<Database>,
	job: { id: string; labId: string; kind: string }
): Promise<{ id: string; state: string; payload: string } | null> {
	const row = await db
		.selectFrom('import_job')
		.where('id', '=', job.id)
		.where('lab_id', '=', job.labId)
		.where('kind', '=', job.kind)
		.select(['id', 'state', 'payload'])
		.executeTakeFirst();
	return row ?? null;
}
