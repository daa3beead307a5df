/** Counts over experiments for the installation overview. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { toCount } from '../db/util';

/** Every lab's number of experiments (one grouped query). */
export async function experimentCountsByLab(db: Kysely<Database>): Promise<Map<string, number>> {
	const rows = await db
		.selectFrom('experiment')
		.select(['lab_id', (eb) => eb.fn.countAll().as('n')])
		.groupBy('lab_id')
		.execute();
	return new Map(rows.map((r) => [r.lab_id, toCount(r.n)]));
}
