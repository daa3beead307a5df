import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { toCount } from '../db/util';
import { personEmail, personName } from '../auth';

/**
 * The lab's referents (withdrawn ones too) whose name, lower-cased, is one of `lowerNames`: the
 * person behind each (an event's participant typed by name is linked to them).
 */
export async function referentPeopleNamed(db: Kysely<Database>, labId: string, lowerNames: string[]): Promise<{ id: string; name: string }[]> {
	if (!lowerNames.length) return [];
	const rows = await db
		.selectFrom('referent as r')
		.where('r.lab_id', '=', labId)
		.where((eb) => eb(eb.fn('lower', [personName(eb.ref('r.person_id'))]), 'in', lowerNames))
		.select((eb) => ['r.person_id as id', personName(eb.ref('r.person_id')).as('name')])
		.execute();
	return rows.flatMap((r) => (r.name ? [{ id: r.id, name: r.name }] : []));
}

/** How many calls for facilitators were made for an event. */
export async function callCountOfEvent(db: Kysely<Database>, eventId: string): Promise<number> {
	const r = await db
		.selectFrom('network_call')
		.where('event_id', '=', eventId)
		.select((eb) => eb.fn.countAll().as('n'))
		.executeTakeFirst();
	return toCount(r?.n);
}

export interface ReferentDetail {
	referentId: string;
	personId: string;
	name: string;
	email: string | null;
	directorate: string;
	territory: string;
}

/**
 * The lab's active referents (or those of them among `ids`), by name: who they are and where
 * they work, for a session that takes them as facilitators or participants.
 */
export async function activeReferentDetails(db: Kysely<Database>, labId: string, ids?: string[]): Promise<ReferentDetail[]> {
	if (ids && !ids.length) return [];
	let q = db.selectFrom('referent as r').where('r.lab_id', '=', labId).where('r.withdrawn_at', 'is', null);
	if (ids) q = q.where('r.id', 'in', ids);
	const rows = await q
		.select((eb) => [
			'r.id',
			'r.person_id',
			'r.directorate',
			'r.territory',
			personName(eb.ref('r.person_id')).as('name'),
			personEmail(eb.ref('r.person_id')).as('email')
		])
		.orderBy('name')
		.limit(2000)
		.execute();
	return rows.map((r) => ({
		referentId: r.id,
		personId: r.person_id,
		name: r.name ?? '',
		email: r.email ?? null,
		directorate: r.directorate,
		territory: r.territory
	}));
}
