import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** A person erased from the lab: the roles they held in its experiments stay, named `name`, leading to no one. */
export async function anonymiseRole(trx: Kysely<Database>, labId: string, personId: string, name: string): Promise<void> {
	await trx.updateTable('experiment_role').set({ person_name: name, person_id: null }).where('lab_id', '=', labId).where('person_id', '=', personId).execute();
}
