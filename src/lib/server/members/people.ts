/** The people behind a lab's memberships, for another domain matching names or addresses (journal authors, imports). */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { accountEmail, accountLoginEmail, accountName, accountPerson } from '../auth';

export interface LabPerson {
	personId: string;
	accountId: string;
	name: string;
	/** The person's address and the account's login address (usually the same). */
	personEmail: string | null;
	accountEmail: string;
}

/** A lab's members as people, optionally only these persons (one query). */
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
		.execute();
	return rows.map((r) => ({ personId: r.personId!, accountId: r.accountId, name: r.name!, personEmail: r.personEmail ?? null, accountEmail: r.accountEmail! }));
}
