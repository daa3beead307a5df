import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { toCount } from '../db/util';

/** How many jobs are running now, on any server (the metrics' gauge). */
export async function runningJobCount(db: Kysely<Database>): Promise<number> {
	const row = await db
		.selectFrom('import_job')
		.where('state', '=', 'running')
		.select((eb) => eb.fn.countAll().as('n'))
		.executeTakeFirst();
	return toCount(row?.n ?? 0);
}
