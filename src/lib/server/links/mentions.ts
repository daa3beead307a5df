import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { toCount } from '../db/util';
import type { LinkTarget } from './links.service';

/** How many links of the lab point at a record (what deleting it would leave dangling). */
export async function countLinksTo(db: Kysely<Database>, labId: string, to: LinkTarget): Promise<number> {
	const r = await db
		.selectFrom('link')
		.where('lab_id', '=', labId)
		.where('to_type', '=', to.type)
		.where('to_id', '=', to.id)
		.select((eb) => eb.fn.countAll().as('n'))
		.executeTakeFirst();
	return toCount(r?.n);
}
