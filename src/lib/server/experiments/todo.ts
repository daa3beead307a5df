/**
 * The experiments' part of "what needs me" (home): an account's experiments as a predicate, and
 * the milestones coming up on them as a one-row count query (`n`).
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../db/schema';
import { listedOnExperiment } from '../policy/scopes';

/** "The experiment whose id is the column `ref` is the account's": it created it or is listed on it. */
export function isMyExperiment(db: Kysely<Database>, labId: string, accountId: string, ref: string): Expression<SqlBool> {
	return sql<SqlBool>`exists ${db
		.selectFrom('experiment as x')
		.where('x.id', '=', sql.ref<string>(ref))
		.where('x.lab_id', '=', labId)
		.where((w) => w.or([w('x.created_by', '=', accountId), listedOnExperiment(db, accountId, 'x.id')]))
		.select('x.id')}`;
}

/**
 * Planned milestones due between `from` and `to` (dates, inclusive) on the account's
 * experiments: `mine` those it created or is listed on, `listed` only those it is listed on.
 */
export function dueMilestonesCount(db: Kysely<Database>, labId: string, accountId: string, range: { from: string; to: string }, whose: 'mine' | 'listed') {
	return db
		.selectFrom('experiment_milestone as m')
		.where('m.lab_id', '=', labId)
		.where('m.state', '=', 'planned')
		.where('m.due_on', '>=', range.from)
		.where('m.due_on', '<=', range.to)
		.where(whose === 'mine' ? isMyExperiment(db, labId, accountId, 'm.experiment_id') : listedOnExperiment(db, accountId, 'm.experiment_id'))
		.select(sql<number>`count(*)`.as('n'));
}
