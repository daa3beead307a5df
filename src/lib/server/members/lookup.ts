import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { accountName, accountPerson } from '../auth';

/**
 * The lab's members whose name, lower-cased, is one of `lowerNames`: the person behind each
 * (an event's participant typed by name is linked to the member of that name).
 */
export async function memberPeopleNamed(db: Kysely<Database>, labId: string, lowerNames: string[]): Promise<{ id: string; name: string }[]> {
	if (!lowerNames.length) return [];
	const rows = await db
		.selectFrom('membership as m')
		.where('m.lab_id', '=', labId)
		.where((eb) => eb(eb.fn('lower', [accountName(eb.ref('m.account_id'))]), 'in', lowerNames))
		.select((eb) => [accountPerson(eb.ref('m.account_id')).as('id'), accountName(eb.ref('m.account_id')).as('name')])
		.execute();
	return rows.flatMap((r) => (r.id && r.name ? [{ id: r.id, name: r.name }] : []));
}

/**
 * The accounts among `accountIds` that are members of the lab (those that left are dropped),
 * in one query.
 */
export async function membersAmong(db: Kysely<Database>, labId: string, accountIds: string[]): Promise<string[]> {
	if (!accountIds.length) return [];
	const rows = await db.selectFrom('membership').where('lab_id', '=', labId).where('account_id', 'in', accountIds).select('account_id').execute();
	return rows.map((r) => r.account_id);
}
