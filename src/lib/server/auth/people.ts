import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { newId, nowIso } from '../db/util';

/** The e-mail address of each person among `personIds` who has one, in one query. */
export async function emailsOfPeople(db: Kysely<Database>, personIds: string[]): Promise<Map<string, string>> {
	if (!personIds.length) return new Map();
	const rows = await db
		.selectFrom('person')
		.where('id', 'in', [...new Set(personIds)])
		.select(['id', 'email'])
		.execute();
	return new Map(rows.flatMap((r) => (r.email ? [[r.id, r.email] as const] : [])));
}

/**
 * Who is behind each account among `accountIds`: the person, their name and organisation, and
 * the account's (login) e-mail address, in one query.
 */
export async function accountProfiles(
	db: Kysely<Database>,
	accountIds: string[]
): Promise<{ accountId: string; personId: string; name: string; email: string; organisation: string | null }[]> {
	if (!accountIds.length) return [];
	return db
		.selectFrom('account as a')
		.innerJoin('person as p', 'p.id', 'a.person_id')
		.where('a.id', 'in', accountIds)
		.select(['a.id as accountId', 'p.id as personId', 'p.name', 'a.email', 'p.organisation'])
		.execute();
}

/**
 * The person an e-mail address stands for (already normalised): the person of the account with
 * that address, else the oldest person recorded with it, else a new person with `name` and
 * `organisation` (someone without an account, such as an invited referent). Returns their id.
 */
export async function findOrCreatePerson(trx: Kysely<Database>, p: { email: string; name: string; organisation: string | null }): Promise<string> {
	let personId = (await trx.selectFrom('account').where('email', '=', p.email).select('person_id').executeTakeFirst())?.person_id;
	personId ??= (await trx.selectFrom('person').where('email', '=', p.email).select('id').orderBy('created_at').executeTakeFirst())?.id;
	if (personId) return personId;
	const id = newId();
	const now = nowIso();
	await trx.insertInto('person').values({ id, name: p.name, email: p.email, organisation: p.organisation, created_at: now, updated_at: now }).execute();
	return id;
}

/**
 * Deletes a person's record unless an account stands on it (the caller has checked that nothing
 * of its own still refers to them). Returns whether it was deleted.
 */
export async function deletePersonIfUnused(trx: Kysely<Database>, personId: string): Promise<boolean> {
	const account = await trx.selectFrom('account').where('person_id', '=', personId).select('id').executeTakeFirst();
	if (account) return false;
	const r = await trx.deleteFrom('person').where('id', '=', personId).executeTakeFirst();
	return Number(r.numDeletedRows) > 0;
}

/**
 * People whose own e-mail or whose account's is among `emails`, with both addresses (either may
 * be null): who an address already stands for.
 */
export async function peopleByEmail(
	db: Kysely<Database>,
	emails: string[]
): Promise<{ personId: string; personEmail: string | null; accountEmail: string | null }[]> {
	if (!emails.length) return [];
	// Two indexed lookups rather than one OR across the join, which neither database can index.
	const cols = ['p.id as personId', 'p.email as personEmail', 'a.email as accountEmail'] as const;
	const [byPerson, byAccount] = await Promise.all([
		db.selectFrom('person as p').leftJoin('account as a', 'a.person_id', 'p.id').where('p.email', 'in', emails).select(cols).execute(),
		db.selectFrom('account as a').innerJoin('person as p', 'p.id', 'a.person_id').where('a.email', 'in', emails).select(cols).execute()
	]);
	const seen = new Map([...byPerson, ...byAccount].map((r) => [`${r.personId}\0${r.accountEmail ?? ''}`, r]));
	return [...seen.values()];
}
