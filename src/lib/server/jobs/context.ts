import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { SessionUser } from '../auth';
import { DomainError } from '../errors';
import { labContext, type LabContext } from '../labs';

/**
 * The lab context a job runs in: its lab, and the account that queued it with the role that
 * account holds now (a coordinator who left the lab meanwhile is refused by the handler's
 * own authorisation, as a request from them would be).
 */
export async function jobLabContext(db: Kysely<Database>, job: { lab_id: string; created_by: string | null }): Promise<LabContext> {
	const lab = await db.selectFrom('lab').where('id', '=', job.lab_id).select('slug').executeTakeFirst();
	if (!lab) throw new DomainError('error.labNotFound', 404);
	let actor: SessionUser | null = null;
	if (job.created_by) {
		const a = await db
			.selectFrom('account as a')
			.innerJoin('person as p', 'p.id', 'a.person_id')
			.where('a.id', '=', job.created_by)
			.where('a.disabled_at', 'is', null)
			.select(['a.id', 'a.person_id', 'a.email', 'a.locale', 'a.is_admin', 'p.name', 'p.organisation'])
			.executeTakeFirst();
		if (a)
			actor = { accountId: a.id, personId: a.person_id, name: a.name, email: a.email, organisation: a.organisation, locale: a.locale === 'en' ? 'en' : 'fr', isAdmin: a.is_admin === 1 };
	}
	return labContext(db, lab.slug, actor);
}
