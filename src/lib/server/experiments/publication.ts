/**
 * Experiments on the lab's public site: the journal decides who may publish one and what the
 * public pages show; these are the reads and the one write it needs on `experiment`.
 */
import { expressionBuilder, type Expression, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

const published = (db: Kysely<Database>, labId: string) => db.selectFrom('experiment').where('lab_id', '=', labId).where('published', '=', 1);

/** Shows an experiment on the public site or takes it off; false when the lab has no such experiment. Takes the caller's transaction. */
export async function setPublished(trx: Kysely<Database>, labId: string, id: string, on: boolean): Promise<boolean> {
	const r = await trx
		.updateTable('experiment')
		.set({ published: on ? 1 : 0 })
		.where('id', '=', id)
		.where('lab_id', '=', labId)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}

/** The lab's published experiments, latest changed first. */
export async function publishedExperiments(db: Kysely<Database>, labId: string, limit: number) {
	return published(db, labId).select(['id', 'title', 'scenario', 'status']).orderBy('updated_at', 'desc').limit(limit).execute();
}

/** A published experiment of the lab, as the public page shows it. */
export async function publishedExperiment(db: Kysely<Database>, labId: string, id: string) {
	return published(db, labId)
		.where('id', '=', id)
		.select(['id', 'title', 'scenario', 'summary', 'sponsor', 'operator', 'partners', 'status', 'conclusions', 'updated_at'])
		.executeTakeFirst();
}

/** The published experiments' ids and last changes (the sitemap). */
export async function publishedExperimentDates(db: Kysely<Database>, labId: string, limit: number) {
	return published(db, labId).select(['id', 'updated_at']).limit(limit).execute();
}

/** Which of these experiments are published. */
export async function publishedExperimentIds(db: Kysely<Database>, ids: readonly string[]): Promise<string[]> {
	if (!ids.length) return [];
	return (await db.selectFrom('experiment').where('id', 'in', ids).where('published', '=', 1).select('id').execute()).map((r) => r.id);
}

/** The latest change and the number of the lab's published experiments (the public site's validators). */
export async function publishedExperimentsStamp(db: Kysely<Database>, labId: string) {
	return published(db, labId)
		.select((eb) => [eb.fn.max('updated_at').as('t'), eb.fn.countAll().as('n')])
		.executeTakeFirstOrThrow();
}

/** An experiment's last change, as a correlated subquery (what a list showing its title depends on). */
export function experimentUpdatedAt(id: Expression<string | null>) {
	return expressionBuilder<Database>().selectFrom('experiment as upd_x').where('upd_x.id', '=', id).select('upd_x.updated_at');
}
