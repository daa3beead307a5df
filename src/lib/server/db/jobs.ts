import type { Kysely } from 'kysely';
import type { Database } from './schema';
import { inTransaction, newId, nowIso } from './util';

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
