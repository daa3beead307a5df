/** The files attached to a record, for the domain that shows the record (a funding request, an event). */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { FileOwner } from './files.service';

/** The record's attachments in the lab, oldest first. */
export async function attachmentsOf(
	db: Kysely<Database>,
	labId: string,
	owner: FileOwner
): Promise<{ id: string; name: string; mime: string; size: number }[]> {
	const rows = await db
		.selectFrom('file')
		.where('lab_id', '=', labId)
		.where('owner_type', '=', owner.type)
		.where('owner_id', '=', owner.id)
		.select(['id', 'name', 'mime', 'size'])
		.orderBy('created_at')
		.execute();
	return rows.map((f) => ({ ...f, size: Number(f.size) }));
}
