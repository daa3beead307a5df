/** What the public site shows of the fund: the funded experiments, when the lab publishes them. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { experimentUpdatedAt } from '../experiments';

/**
 * The latest change and the number of the lab's approved requests, for the public site's
 * validators: the list shows each funded experiment's title, so its changes count too.
 */
export async function fundedStamp(db: Kysely<Database>, labId: string): Promise<{ t: string | null; n: unknown }> {
	return db
		.selectFrom('funding_request as r')
		.where('r.lab_id', '=', labId)
		.where('r.state', '=', 'approved')
		.select((eb) => {
			const x = experimentUpdatedAt(eb.ref('r.experiment_id'));
			return [eb.fn.max(sql<string>`case when ${x} > r.decided_at then ${x} else r.decided_at end`).as('t'), eb.fn.countAll().as('n')];
		})
		.executeTakeFirstOrThrow();
}
