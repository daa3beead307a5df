import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { activeUser } from '../auth';
import { DomainError } from '../errors';
import { findLabById, labContext, type LabContext } from '../labs';

/**
 * The lab context a job runs in: its lab, and the account that queued it with the role that
 * account holds now (a coordinator who left the lab meanwhile is refused by the handler's
 * own authorisation, as a request from them would be).
 */
export async function jobLabContext(db: Kysely<Database>, job: { lab_id: string; created_by: string | null }): Promise<LabContext> {
	const lab = await findLabById(db, job.lab_id);
	if (!lab) throw new DomainError('error.labNotFound', 404);
	const actor = job.created_by ? await activeUser(db, job.created_by) : null;
	return labContext(db, lab.slug, actor);
}
