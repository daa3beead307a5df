/** Which records link to a target, as a subquery another domain filters its own rows with. */
import { expressionBuilder } from 'kysely';
import type { Database } from '../db/schema';

/** The ids of the records of one type (`from_type`) of a lab that link to the target: a subquery for `in`. */
export function linkSources(labId: string, fromType: string, target: { type: string; id: string }) {
	return expressionBuilder<Database>()
		.selectFrom('link as src_l')
		.where('src_l.lab_id', '=', labId)
		.where('src_l.from_type', '=', fromType)
		.where('src_l.to_type', '=', target.type)
		.where('src_l.to_id', '=', target.id)
		.select('src_l.from_id');
}
