/**
 * Read helpers over the identity tables `auth` owns (`person`, `account`), for other domains'
 * queries: a record shows who wrote it without its domain naming those tables. Each helper is a
 * correlated subquery to place in a select list, given a reference to the outer query's column:
 * `.select((eb) => accountName(eb.ref('c.author_id')).as('author_name'))`.
 */
import { expressionBuilder, type Expression } from 'kysely';
import type { Database } from '$lib/server/db/schema';

type Id = Expression<string | null>;
const eb = expressionBuilder<Database>();

/** The name of the person behind an account id (null when there is none). */
export function accountName(accountId: Id) {
	return eb
		.selectFrom('account as name_a')
		.innerJoin('person as name_p', 'name_p.id', 'name_a.person_id')
		.where('name_a.id', '=', accountId)
		.select('name_p.name');
}

/** The e-mail address of the person behind an account id. */
export function accountEmail(accountId: Id) {
	return eb
		.selectFrom('account as mail_a')
		.innerJoin('person as mail_p', 'mail_p.id', 'mail_a.person_id')
		.where('mail_a.id', '=', accountId)
		.select('mail_p.email');
}

/** The person id behind an account id. */
export function accountPerson(accountId: Id) {
	return eb.selectFrom('account as pid_a').where('pid_a.id', '=', accountId).select('pid_a.person_id');
}

/** The name of a person by id. */
export function personName(personId: Id) {
	return eb.selectFrom('person as name_p').where('name_p.id', '=', personId).select('name_p.name');
}

/** The e-mail address of a person by id. */
export function personEmail(personId: Id) {
	return eb.selectFrom('person as mail_p').where('mail_p.id', '=', personId).select('mail_p.email');
}
