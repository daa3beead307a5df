import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** The e-mail address of each person among `personIds` who has one, in one query. */
export async function emailsOfPeople(db: Kysely<Database>, personIds: string[]): Promise<Map<string, string>> {
	if (!personIds.length) return new Map();
	const rows = await db.selectFrom('person').where('id', 'in', [...new Set(personIds)]).select(['id', 'email']).execute();
	return new Map(rows.flatMap((r) => (r.email ? [[r.id, r.email] as const] : [])));
}

/**
 * Who is behind each account among `accountIds`: the person, their name and organisation, and
 * the account's (login) e-mail address, in one query.
 */
export async function accountProfiles(db: Kysely<Database>, accountIds: string[]): Promise<{ accountId: string; personId: string; name: string; email: string; organisation: string | null }[]> {
	if (!accountIds.length) return [];
	return db
		.selectFrom('account as a')
		.innerJoin('person as p', 'p.id', 'a.person_id')
		.where('a.id', 'in', accountIds)
		.select(['a.id as accountId', 'p.id as personId', 'p.name', 'a.email', 'p.organisation'])
		.execute();
}
