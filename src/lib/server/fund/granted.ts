/** What the fund granted an experiment, for other domains (a specification's budget). */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** The experiment's allocations net of releases, over every envelope, in cents. */
export async function grantedForExperiment(db: Kysely<Database>, experimentId: string): Promise<number> {
	const rows = await db
		.selectFrom('ledger_entry')
		.where('experiment_id', '=', experimentId)
		.where('kind', 'in', ['allocation', 'release'])
		.select(['kind', 'amount_cents'])
		.execute();
	return rows.reduce((a, r) => a + (r.kind === 'allocation' ? 1 : -1) * Number(r.amount_cents), 0);
}
