import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { newId, nowIso, toCount } from '../db/util';

/**
 * An event's participants as other domains need them: the referent network adds the facilitators
 * it assigns (and takes them off), counts who facilitated what for its ladder and loads, and
 * anonymises a referent it erases. Writes take the caller's transaction.
 */

export const FACILITATION_ROLES = ['facilitator', 'co_facilitator'] as const;

/** How many participants an event has. */
export async function participantCount(db: Kysely<Database>, eventId: string): Promise<number> {
	const r = await db
		.selectFrom('event_participant')
		.where('event_id', '=', eventId)
		.select((eb) => eb.fn.countAll().as('n'))
		.executeTakeFirstOrThrow();
	return toCount(r.n);
}

/** Adds a person to an event with a role, replacing the row they had in it (whatever its role). */
export async function addParticipant(
	trx: Kysely<Database>,
	p: { labId: string; eventId: string; personId: string; name: string; organisation: string; role: string; position: number }
): Promise<void> {
	await trx.deleteFrom('event_participant').where('event_id', '=', p.eventId).where('person_id', '=', p.personId).execute();
	await trx
		.insertInto('event_participant')
		.values({
			id: newId(),
			lab_id: p.labId,
			event_id: p.eventId,
			person_id: p.personId,
			name: p.name,
			organisation: p.organisation,
			role: p.role,
			attended: null,
			position: p.position
		})
		.execute();
}

/** Takes a person off an event where they hold one of `roles`. */
export async function removeParticipant(trx: Kysely<Database>, eventId: string, personId: string, roles: readonly string[]): Promise<void> {
	await trx.deleteFrom('event_participant').where('event_id', '=', eventId).where('person_id', '=', personId).where('role', 'in', roles).execute();
}

/** A person erased from the lab: their rows in its events keep the role under `name`, leading to no one. */
export async function anonymiseParticipant(trx: Kysely<Database>, labId: string, personId: string, name: string): Promise<void> {
	await trx
		.updateTable('event_participant')
		.set({ name, organisation: '', person_id: null })
		.where('lab_id', '=', labId)
		.where('person_id', '=', personId)
		.execute();
}

export interface RoleTally {
	facilitator: number;
	coFacilitator: number;
	/** As trainee, trainer: of training events only. */
	trainee: number;
	trainer: number;
}

/**
 * What each person did at the lab's events that are over, by role (a participant marked absent
 * does not count), in one grouped query. `personIds` limits it; without it, every person
 * recorded in the lab's events.
 */
export async function roleTallies(db: Kysely<Database>, labId: string, personIds?: string[]): Promise<Map<string, RoleTally>> {
	let q = db
		.selectFrom('event_participant as ep')
		.innerJoin('event as e', 'e.id', 'ep.event_id')
		.where('ep.lab_id', '=', labId)
		.where('e.ends_at', '<=', nowIso())
		.where((eb) => eb.or([eb('ep.attended', 'is', null), eb('ep.attended', '=', 1)]))
		.where('ep.role', 'in', ['facilitator', 'co_facilitator', 'trainee', 'trainer']);
	if (personIds) {
		if (!personIds.length) return new Map();
		q = q.where('ep.person_id', 'in', personIds);
	} else q = q.where('ep.person_id', 'is not', null);
	// One row per person, the four counts summed in the database (fewer rows to carry back).
	const rows = await q
		.select('ep.person_id')
		.select([
			sql<number>`sum(case when ep.role = 'facilitator' then 1 else 0 end)`.as('f'),
			sql<number>`sum(case when ep.role = 'co_facilitator' then 1 else 0 end)`.as('c'),
			sql<number>`sum(case when ep.role = 'trainee' and e.kind = 'training' then 1 else 0 end)`.as('t'),
			sql<number>`sum(case when ep.role = 'trainer' and e.kind = 'training' then 1 else 0 end)`.as('g')
		])
		.groupBy('ep.person_id')
		.execute();
	return new Map(rows.map((r) => [r.person_id!, { facilitator: toCount(r.f), coFacilitator: toCount(r.c), trainee: toCount(r.t), trainer: toCount(r.g) }]));
}

/**
 * Facilitations (facilitator or co-facilitator) per person at the lab's events starting in
 * [from, to), in one grouped query: among `personIds`, or everyone when it is null. With
 * `attendedOnly`, a participant marked absent does not count.
 */
export async function facilitationCounts(
	db: Kysely<Database>,
	labId: string,
	personIds: string[] | null,
	range: { from: string; to?: string; attendedOnly?: boolean }
): Promise<Map<string, number>> {
	if (personIds && !personIds.length) return new Map();
	let q = db
		.selectFrom('event_participant as ep')
		.innerJoin('event as e', 'e.id', 'ep.event_id')
		.where('ep.lab_id', '=', labId)
		.where('ep.role', 'in', FACILITATION_ROLES)
		.where('e.starts_at', '>=', range.from);
	q = personIds ? q.where('ep.person_id', 'in', personIds) : q.where('ep.person_id', 'is not', null);
	if (range.to) q = q.where('e.starts_at', '<', range.to);
	if (range.attendedOnly) q = q.where((eb) => eb.or([eb('ep.attended', 'is', null), eb('ep.attended', '=', 1)]));
	const rows = await q
		.select('ep.person_id')
		.select((eb) => eb.fn.countAll().as('n'))
		.groupBy('ep.person_id')
		.execute();
	return new Map(rows.map((r) => [r.person_id!, toCount(r.n)]));
}

/** The lab's events a person was recorded at, newest first, with their role. */
export async function eventsOfPerson(db: Kysely<Database>, labId: string, personId: string, limit = 200) {
	return db
		.selectFrom('event_participant as ep')
		.innerJoin('event as e', 'e.id', 'ep.event_id')
		.where('ep.lab_id', '=', labId)
		.where('ep.person_id', '=', personId)
		.select(['e.id', 'e.title', 'e.kind', 'e.starts_at', 'ep.role', 'ep.attended'])
		.orderBy('e.starts_at', 'desc')
		.limit(limit)
		.execute();
}
