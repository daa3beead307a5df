/** Membership checks for other domains: someone's role in a lab, without naming `membership`. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Role } from '$lib/shared/roles';

/** The account's role in the lab, or null when it is not a member. */
export async function roleOf(db: Kysely<Database>, labId: string, accountId: string): Promise<Role | null> {
	const m = await db.selectFrom('membership').where('lab_id', '=', labId).where('account_id', '=', accountId).select('role').executeTakeFirst();
	return (m?.role as Role | undefined) ?? null;
}
