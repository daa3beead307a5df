/**
 * Account look-ups for other domains, beside the name helpers of ./names: the account's own
 * (login) address and organisation as correlated subqueries for a select list, the accounts of a
 * person as a subquery, and an account found by its login address.
 */
import { expressionBuilder, sql, type Expression, type Kysely } from 'kysely';
import type { Database } from '$lib/server/db/schema';
import { DomainError } from '../errors';
import { verifyPassword } from './password';

type Id = Expression<string | null>;
const eb = expressionBuilder<Database>();

/** The login e-mail address of an account (the account's, not its person's). */
export function accountLoginEmail(accountId: Id) {
	return eb.selectFrom('account as login_a').where('login_a.id', '=', accountId).select('login_a.email');
}

/** The organisation of the person behind an account id. */
export function accountOrganisation(accountId: Id) {
	return eb
		.selectFrom('account as org_a')
		.innerJoin('person as org_p', 'org_p.id', 'org_a.person_id')
		.where('org_a.id', '=', accountId)
		.select('org_p.organisation');
}

/** The account id of a person (a person has at most one), as a correlated subquery. */
export function personAccount(personId: Id) {
	return eb.selectFrom('account as of_a').where('of_a.person_id', '=', personId).select('of_a.id');
}

/** The account, if it is not disabled: an `exists` subquery. */
export function enabledAccount(accountId: Id) {
	return eb.selectFrom('account as on_a').where('on_a.id', '=', accountId).where('on_a.disabled_at', 'is', null).select('on_a.id');
}

/** When the person behind an account was created, as a correlated subquery (to order by seniority). */
export function accountPersonCreatedAt(accountId: Id) {
	return eb
		.selectFrom('account as since_a')
		.innerJoin('person as since_p', 'since_p.id', 'since_a.person_id')
		.where('since_a.id', '=', accountId)
		.select('since_p.created_at');
}

/** The ids of the accounts whose person's name or login address matches a lower-case LIKE pattern (`\` escapes). */
export function accountsMatching(pattern: string) {
	return eb
		.selectFrom('account as m_a')
		.innerJoin('person as m_p', 'm_p.id', 'm_a.person_id')
		.where(sql<boolean>`(lower(m_p.name) like ${pattern} escape '\\' or m_a.email like ${pattern} escape '\\')`)
		.select('m_a.id');
}

export interface AccountSummary {
	id: string;
	personId: string;
	name: string;
	email: string;
	disabledAt: string | null;
}

/** An account by id or by its (already normalised) login address, with its person's name. */
export async function findAccount(db: Kysely<Database>, ref: { accountId: string } | { email: string }): Promise<AccountSummary | undefined> {
	let q = db.selectFrom('account as a').innerJoin('person as p', 'p.id', 'a.person_id');
	q = 'accountId' in ref ? q.where('a.id', '=', ref.accountId) : q.where('a.email', '=', ref.email);
	return q.select(['a.id', 'a.person_id as personId', 'p.name', 'a.email', 'a.disabled_at as disabledAt']).executeTakeFirst();
}

/**
 * The account of a login address whose password is right, for a flow that asks for it again
 * (accepting an invitation with an existing account): a wrong password, or a disabled account,
 * is refused on the `password` field.
 */
export async function checkAccountPassword(db: Kysely<Database>, email: string, password: string): Promise<string> {
	const acc = await db.selectFrom('account').where('email', '=', email).select(['id', 'password_hash', 'disabled_at']).executeTakeFirstOrThrow();
	if (!(await verifyPassword(password, acc.password_hash))) throw new DomainError('auth.invalidCredentials', 400, {}, 'password');
	if (acc.disabled_at) throw new DomainError('auth.accountDisabled', 403, {}, 'password');
	return acc.id;
}
