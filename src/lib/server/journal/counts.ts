/** Counts over the journal for the installation overview. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { toCount } from '../db/util';

/** Every lab's number of posts (pages not counted; one grouped query). */
export async function postCountsByLab(db: Kysely<Database>): Promise<Map<string, number>> {
	const rows = await db
		.selectFrom('post')
		.where('kind', '=', 'post')
		.select(['lab_id', (eb) => eb.fn.countAll().as('n')])
		.groupBy('lab_id')
		.execute();
	return new Map(rows.map((r) => [r.lab_id, toCount(r.n)]));
}
