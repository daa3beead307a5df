import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { SessionUser } from './session';

/**
 * The user behind an account id, as a request of theirs would see it, or null when the account
 * does not exist or is disabled (a job queued by an account acts as that account now).
 */
export async function activeUser(db: Kysely<Database>, accountId: string): Promise<SessionUser | null> {
	const a = await db
		.selectFrom('account as a')
		.innerJoin('person as p', 'p.id', 'a.person_id')
		.where('a.id', '=', accountId)
		.where('a.disabled_at', 'is', null)
		.select(['a.id', 'a.person_id', 'a.email', 'a.locale', 'a.is_admin', 'p.name', 'p.organisation'])
		.executeTakeFirst();
	if (!a) return null;
	return {
		accountId: a.id,
		personId: a.person_id,
		name: a.name,
		email: a.email,
		organisation: a.organisation,
		locale: a.locale === 'en' ? 'en' : 'fr',
		isAdmin: a.is_admin === 1
	};
}
