/** The people behind a lab's memberships, for another domain matching names or addresses (journal authors, imports). */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { accountEmail, accountLoginEmail, accountName, accountPerson, accountPersonCreatedAt, enabledAccount } from '../auth';
import type { Role } from '$lib/shared/roles';

export interface LabPerson {
	personId: string;
	accountId: string;
	name: string;
	/** The person's address and the account's login address (usually the same). */
	personEmail: string | null;
	accountEmail: string;
}

/** A lab's members as people, the longest known first, optionally only these persons (one query). */
export async function labPeople(db: Kysely<Database>, labId: string, opts: { personIds?: readonly string[] } = {}): Promise<LabPerson[]> {
	if (opts.personIds && !opts.personIds.length) return [];
	let q = db.selectFrom('membership as m').where('m.lab_id', '=', labId);
	if (opts.personIds) q = q.where((eb) => eb(accountPerson(eb.ref('m.account_id')), 'in', opts.personIds!));
	const rows = await q
		.select((eb) => [
			'm.account_id as accountId',
			accountPerson(eb.ref('m.account_id')).as('personId'),
			accountName(eb.ref('m.account_id')).as('name'),
			accountEmail(eb.ref('m.account_id')).as('personEmail'),
			accountLoginEmail(eb.ref('m.account_id')).as('accountEmail')
		])
		.orderBy((eb) => accountPersonCreatedAt(eb.ref('m.account_id')))
		.orderBy('m.account_id')
		.execute();
	return rows.map((r) => ({ personId: r.personId!, accountId: r.accountId, name: r.name!, personEmail: r.personEmail ?? null, accountEmail: r.accountEmail! }));
}

/**
 * The login addresses of a lab's members with an enabled account who are among these persons or
 * hold one of these roles (whom the journal notifies of a new comment): one query.
 */
export async function labContacts(
	db: Kysely<Database>,
	labId: string,
	who: { personIds: readonly string[]; roles: readonly Role[] }
): Promise<{ accountId: string; email: string }[]> {
	if (!who.personIds.length && !who.roles.length) return [];
	const rows = await db
		.selectFrom('membership as m')
		.where('m.lab_id', '=', labId)
		.where((eb) =>
			eb.or([
				...(who.roles.length ? [eb('m.role', 'in', who.roles)] : []),
				...(who.personIds.length ? [eb(accountPerson(eb.ref('m.account_id')), 'in', who.personIds)] : [])
			])
		)
		.where((eb) => eb.exists(enabledAccount(eb.ref('m.account_id'))))
		.select((eb) => ['m.account_id as accountId', accountLoginEmail(eb.ref('m.account_id')).as('email')])
		.execute();
	return rows.map((r) => ({ accountId: r.accountId, email: r.email! }));
}
