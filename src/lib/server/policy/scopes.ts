/**
 * Record-level rights as query predicates: "which of these rows may this member see". The
 * role-level rules are in index.ts; these add what depends on the record (the experiments a
 * partner or sponsor is listed on, the visibility of knowledge). Services, search, backlinks and
 * the "what needs me" list all use them, so a rule is written once.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Kysely } from 'kysely';
import type { Role } from '$lib/shared/roles';
import type { Database } from '../db/schema';
import { can } from './index';
import { listedOn } from '../experiments';

export type Visibility = 'lab' | 'partners' | 'public';

/** The visibilities (knowledge, search documents) a role may read in a lab; visitors, public only. */
export function visibleTo(role: Role | null): Visibility[] {
	if (role === null) return ['public'];
	if (role === 'partner') return ['partners', 'public'];
	return ['lab', 'partners', 'public'];
}

interface Viewer {
	role: Role | null;
	actor?: { accountId: string } | null;
}

/** Whether the caller sees every experiment of the lab, or only those they are listed on. */
export const seesAllExperiments = (ctx: Viewer): boolean => can(ctx.role, 'experiments.viewAll');

/** "The caller is listed on the experiment whose id is the column `ref`" (e.g. 'x.id'). */
export function listedOnExperiment(db: Kysely<Database>, accountId: string, ref: string): Expression<SqlBool> {
	return listedOn(accountId, sql.ref<string>(ref));
}

/**
 * The experiments the caller may see, as a predicate on the column `ref` holding an experiment
 * id: everything for those who see all (coordinators, residents, referents), else only the
 * experiments they are listed on (partners see only their own; sponsors too for requests).
 */
export function experimentScope(
	db: Kysely<Database>,
	ctx: Viewer,
	ref: string,
	right: 'experiments.viewAll' | 'fund.viewAll' = 'experiments.viewAll'
): Expression<SqlBool> | null {
	if (can(ctx.role, right)) return null;
	return listedOnExperiment(db, ctx.actor?.accountId ?? '', ref);
}
