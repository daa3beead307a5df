/**
 * Periodic tasks, run once per period across all servers. Each task has a `job_tick` row; a
 * server runs the task only when its conditional update moved `next_run_at` forward, which at
 * most one server's update can do for a given period.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface Tick {
	name: string;
	everyMs: number;
	run: (db: Kysely<Database>) => Promise<unknown>;
}

/** True when `workerId` won this period of task `name` (and must run it now). */
export async function claimTick(db: Kysely<Database>, name: string, everyMs: number, workerId: string, now = Date.now()): Promise<boolean> {
	const nowIso = new Date(now).toISOString();
	await db
		.insertInto('job_tick')
		.values({ name, next_run_at: nowIso, claimed_by: null, last_run_at: null })
		.onConflict((oc) => oc.column('name').doNothing())
		.execute();
	const r = await db
		.updateTable('job_tick')
		.set({ next_run_at: new Date(now + everyMs).toISOString(), claimed_by: workerId, last_run_at: nowIso })
		.where('name', '=', name)
		.where('next_run_at', '<=', nowIso)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}
