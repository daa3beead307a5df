/**
 * What other domains may know of an experiment without naming its tables: its title (as a
 * correlated subquery for their select lists, or by ids), a summary, who is on its team.
 */
import { expressionBuilder, type Expression, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { experimentScope } from '../policy/scopes';
import type { LabContext } from '../labs';
import type { ExperimentStatus, Responsibility } from '$lib/shared/experiments';

const eb = expressionBuilder<Database>();

/** The title of the experiment whose id is `experimentId`, to place in a select list. */
export function experimentTitle(experimentId: Expression<string | null>) {
	return eb.selectFrom('experiment as title_x').where('title_x.id', '=', experimentId).select('title_x.title');
}

/**
 * Experiments by id, whatever their lab (the caller compares `lab_id`), with their title. With
 * a viewer, only those the viewer may see (partners and sponsors: those they are listed on).
 */
export async function experimentTitles(
	db: Kysely<Database>,
	ids: readonly string[],
	viewer?: Pick<LabContext, 'role' | 'actor'>
): Promise<{ id: string; lab_id: string; title: string }[]> {
	if (!ids.length) return [];
	let q = db.selectFrom('experiment as x').where('x.id', 'in', [...new Set(ids)]);
	const scope = viewer ? experimentScope(db, viewer, 'x.id') : null;
	if (scope) q = q.where(scope);
	return q.select(['x.id', 'x.lab_id', 'x.title']).execute();
}

/** The lab's experiments whose lower-cased title is one of `lowered`. */
export async function experimentsByTitle(db: Kysely<Database>, labId: string, lowered: readonly string[]): Promise<{ id: string; title: string }[]> {
	if (!lowered.length) return [];
	return db
		.selectFrom('experiment')
		.where('lab_id', '=', labId)
		.where((w) => w(w.fn('lower', ['title']), 'in', [...lowered]))
		.select(['id', 'title'])
		.execute();
}

/** The lab's experiments by title, for pickers. */
export async function experimentOptions(db: Kysely<Database>, labId: string, limit?: number): Promise<{ id: string; title: string }[]> {
	return db
		.selectFrom('experiment')
		.where('lab_id', '=', labId)
		.select(['id', 'title'])
		.orderBy('title')
		.$if(limit !== undefined, (q) => q.limit(limit!))
		.execute();
}

export interface ExperimentBrief {
	id: string;
	title: string;
	scenario: string;
	sponsor: string;
	operator: string;
	partners: string;
	status: ExperimentStatus;
}

/** An experiment of the lab in a few fields (undefined when it is not one of the lab's). */
export async function summaryOf(db: Kysely<Database>, labId: string, id: string): Promise<ExperimentBrief | undefined> {
	const x = await db
		.selectFrom('experiment')
		.where('id', '=', id)
		.where('lab_id', '=', labId)
		.select(['id', 'title', 'scenario', 'sponsor', 'operator', 'partners', 'status'])
		.executeTakeFirst();
	return x && { ...x, status: x.status as ExperimentStatus };
}

/** Whether the account is listed on the experiment (its partners and sponsors). */
export async function isTeamMember(db: Kysely<Database>, experimentId: string, accountId: string): Promise<boolean> {
	const m = await db
		.selectFrom('experiment_member')
		.where('experiment_id', '=', experimentId)
		.where('account_id', '=', accountId)
		.select('account_id')
		.executeTakeFirst();
	return Boolean(m);
}

/** The name of who holds a responsibility on the experiment's team ('' or null when no one). */
export async function roleHolder(db: Kysely<Database>, experimentId: string, responsibility: Responsibility): Promise<string | null> {
	const r = await db
		.selectFrom('experiment_role')
		.where('experiment_id', '=', experimentId)
		.where('responsibility', '=', responsibility)
		.select('person_name')
		.executeTakeFirst();
	return r?.person_name ?? null;
}
