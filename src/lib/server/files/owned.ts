import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { toCount } from '../db/util';
import type { FileOwner } from './files.service';

/** The files attached to a record of the lab, oldest first. */
export async function filesOf(db: Kysely<Database>, labId: string, owner: FileOwner): Promise<{ id: string; name: string; mime: string; size: number }[]> {
	return db
		.selectFrom('file')
		.where('lab_id', '=', labId)
		.where('owner_type', '=', owner.type)
		.where('owner_id', '=', owner.id)
		.select(['id', 'name', 'mime', 'size'])
		.orderBy('created_at')
		.execute();
}

/** How many files are attached to a record of the lab. */
export async function countFilesOf(db: Kysely<Database>, labId: string, owner: FileOwner): Promise<number> {
	const r = await db
		.selectFrom('file')
		.where('lab_id', '=', labId)
		.where('owner_type', '=', owner.type)
		.where('owner_id', '=', owner.id)
		.select((eb) => eb.fn.countAll().as('n'))
		.executeTakeFirst();
	return toCount(r?.n);
}
