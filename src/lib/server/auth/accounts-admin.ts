/**
 * The installation administrators' writes and list over accounts. The writes take the caller's
 * transaction (the caller checks who may act and records the audit line).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { nowIso, toCount } from '../db/util';
import { invalidateAllSessions } from './session';

/**
 * Disables an account: no more login, every open session ends, unused reset links die.
 * Whether it was still enabled.
 */
export async function disableAccount(trx: Kysely<Database>, accountId: string): Promise<boolean> {
	const now = nowIso();
	const r = await trx
		.updateTable('account')
		.set({ disabled_at: now, updated_at: now })
		.where('id', '=', accountId)
		.where('disabled_at', 'is', null)
		.executeTakeFirst();
	await invalidateAllSessions(trx, accountId);
	await trx.updateTable('password_reset').set({ used_at: now }).where('account_id', '=', accountId).where('used_at', 'is', null).execute();
	return Number(r.numUpdatedRows) === 1;
}

/** Lets a disabled account log in again. */
export async function enableAccount(trx: Kysely<Database>, accountId: string): Promise<void> {
	await trx.updateTable('account').set({ disabled_at: null, updated_at: nowIso() }).where('id', '=', accountId).execute();
}

export interface AccountListRow {
	accountId: string;
	name: string;
	email: string;
	organisation: string | null;
	isAdmin: boolean;
	disabledAt: string | null;
	createdAt: string;
}

/** The installation's accounts by name, optionally filtered by name or login address, one page. */
export async function accountsPage(
	db: Kysely<Database>,
	f: { pattern?: string; page: number; pageSize: number }
): Promise<{ rows: AccountListRow[]; total: number }> {
	let q = db.selectFrom('account as a').innerJoin('person as p', 'p.id', 'a.person_id');
	if (f.pattern) {
		const pat = f.pattern;
		q = q.where((eb) => eb.or([sql<boolean>`lower(p.name) like ${pat} escape '\\'`, sql<boolean>`a.email like ${pat} escape '\\'`]));
	}
	const [rows, total] = await Promise.all([
		q
			.select(['a.id', 'a.email', 'a.is_admin', 'a.disabled_at', 'a.created_at', 'p.name', 'p.organisation'])
			.orderBy('p.name')
			.orderBy('a.id')
			.limit(f.pageSize)
			.offset((f.page - 1) * f.pageSize)
			.execute(),
		q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
	]);
	return {
		rows: rows.map((r) => ({
			accountId: r.id,
			name: r.name,
			email: r.email,
			organisation: r.organisation,
			isAdmin: r.is_admin === 1,
			disabledAt: r.disabled_at,
			createdAt: r.created_at
		})),
		total: toCount(total.n)
	};
}
