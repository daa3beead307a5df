import { expressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Database } from '../db/schema';

const eb = expressionBuilder<Database>();

/**
 * "The account is listed on (a member of the team of) the experiment whose id is `experimentId`",
 * a predicate for another domain's query (policy's experiment scope).
 */
export function listedOn(accountId: string, experimentId: Expression<string>): Expression<SqlBool> {
	return eb.exists(
		eb.selectFrom('experiment_member as em').where('em.experiment_id', '=', experimentId).where('em.account_id', '=', accountId).select('em.account_id')
	);
}
