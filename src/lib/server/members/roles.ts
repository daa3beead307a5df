/**
 * Who is a member of which lab, and with what role: the reads other domains need about
 * `membership` (the lab context, the journal's comment rules, the installation's appointments).
 * The expression helpers are subqueries to place in another domain's query.
 */
import { expressionBuilder, type Expression, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { isRole, type Role } from '$lib/shared/roles';

type Id = Expression<string | null> | string;
const eb = expressionBuilder<Database>();

/** An account's membership of a lab (its id and role), if any. */
export async function membershipOf(db: Kysely<Database>, labId: string, accountId: string): Promise<{ id: string; role: string } | undefined> {
	return db.selectFrom('membership').where('lab_id', '=', labId).where('account_id', '=', accountId).select(['id', 'role']).executeTakeFirst();
}

/** An account's role in a lab; null when it is not a member. */
export async function roleOf(db: Kysely<Database>, labId: string, accountId: string): Promise<Role | null> {
	const m = await membershipOf(db, labId, accountId);
	return m && isRole(m.role) ? m.role : null;
}

/** Whether an account is a member of a lab (whatever its role). */
export async function isMember(db: Kysely<Database>, labId: string, accountId: string): Promise<boolean> {
	return Boolean(await membershipOf(db, labId, accountId));
}

/** An account's role in a lab, as a correlated subquery (null when not a member). */
export function roleIn(labId: Id, accountId: Id) {
	return eb.selectFrom('membership as role_m').where('role_m.lab_id', '=', labId).where('role_m.account_id', '=', accountId).select('role_m.role');
}

/** The ids of the labs an account belongs to: a subquery for `in`. */
export function labIdsOf(accountId: string) {
	return eb.selectFrom('membership as lab_m').where('lab_m.account_id', '=', accountId).select('lab_m.lab_id');
}

/** The account ids of a lab's members, optionally of some roles only: a subquery for `in`. */
export function memberAccounts(labId: Id, roles?: readonly Role[]) {
	let q = eb.selectFrom('membership as acc_m').where('acc_m.lab_id', '=', labId);
	if (roles) q = q.where('acc_m.role', 'in', roles);
	return q.select('acc_m.account_id');
}
