/** Counts over memberships and invitations, for the lab page, the labs list and the installation overview. */
import { expressionBuilder, type Expression, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { nowIso, toCount } from '../db/util';

const eb = expressionBuilder<Database>();

/** A lab's number of members, as a correlated subquery. */
export function memberCount(labId: Expression<string>) {
	return eb
		.selectFrom('membership as cnt_m')
		.where('cnt_m.lab_id', '=', labId)
		.select((x) => x.fn.countAll().as('n'));
}

function pendingInvitations(db: Kysely<Database>) {
	return db.selectFrom('invitation').where('accepted_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '>', nowIso());
}

/** A lab's members and pending invitations. */
export async function membershipStats(db: Kysely<Database>, labId: string): Promise<{ members: number; pendingInvitations: number }> {
	const [members, invitations] = await Promise.all([
		db
			.selectFrom('membership')
			.where('lab_id', '=', labId)
			.select((x) => x.fn.countAll().as('n'))
			.executeTakeFirstOrThrow(),
		pendingInvitations(db)
			.where('lab_id', '=', labId)
			.select((x) => x.fn.countAll().as('n'))
			.executeTakeFirstOrThrow()
	]);
	return { members: toCount(members.n), pendingInvitations: toCount(invitations.n) };
}

const byLab = <T extends { lab_id: string; n: unknown }>(rows: T[]) => new Map(rows.map((r) => [r.lab_id, toCount(r.n)]));

/** Every lab's members, coordinators and pending invitations (three grouped queries). */
export async function membershipStatsByLab(
	db: Kysely<Database>
): Promise<{ members: Map<string, number>; coordinators: Map<string, number>; pendingInvitations: Map<string, number> }> {
	const [members, coordinators, invitations] = await Promise.all([
		db
			.selectFrom('membership')
			.select(['lab_id', (x) => x.fn.countAll().as('n')])
			.groupBy('lab_id')
			.execute(),
		db
			.selectFrom('membership')
			.where('role', '=', 'coordinator')
			.select(['lab_id', (x) => x.fn.countAll().as('n')])
			.groupBy('lab_id')
			.execute(),
		pendingInvitations(db)
			.select(['lab_id', (x) => x.fn.countAll().as('n')])
			.groupBy('lab_id')
			.execute()
	]);
	return { members: byLab(members), coordinators: byLab(coordinators), pendingInvitations: byLab(invitations) };
}

/** How many labs each of these accounts belongs to. */
export async function membershipCounts(db: Kysely<Database>, accountIds: readonly string[]): Promise<Map<string, number>> {
	if (!accountIds.length) return new Map();
	const rows = await db
		.selectFrom('membership')
		.where('account_id', 'in', accountIds)
		.select(['account_id', (x) => x.fn.countAll().as('n')])
		.groupBy('account_id')
		.execute();
	return new Map(rows.map((r) => [r.account_id, toCount(r.n)]));
}
