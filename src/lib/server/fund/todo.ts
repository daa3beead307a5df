/**
 * The fund's part of "what needs me" (home): each function returns a one-row count query
 * (`n`) that home places, as a scalar subquery, in its single statement.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { listedOnExperiment } from '../policy/scopes';
import { isMyExperiment } from '../experiments';

const count = () => sql<number>`count(*)`.as('n');
const WAITING = ['submitted', 'under_review'];

/** Requests waiting for a decision this account may take: its fund's deciders are the coordinators, or a committee it sits on. */
export function requestsToDecideCount(db: Kysely<Database>, labId: string, accountId: string) {
	return db
		.selectFrom('funding_request as r')
		.innerJoin('envelope as e', 'e.id', 'r.envelope_id')
		.innerJoin('fund as f', 'f.id', 'e.fund_id')
		.where('r.lab_id', '=', labId)
		.where('r.state', 'in', WAITING)
		.where((w) =>
			w.or([
				w('f.deciders', '=', 'coordinator'),
				w.exists(w.selectFrom('fund_committee as fc').whereRef('fc.fund_id', '=', 'f.id').where('fc.account_id', '=', accountId).select('fc.account_id'))
			])
		)
		.select(count());
}

/** Drafts the account started and has not submitted. */
export function draftRequestsCount(db: Kysely<Database>, labId: string, accountId: string) {
	return db
		.selectFrom('funding_request as r')
		.where('r.lab_id', '=', labId)
		.where('r.state', '=', 'draft')
		.where('r.created_by', '=', accountId)
		.select(count());
}

/** Submitted requests the account wrote, or for experiments it created or is listed on. */
export function waitingRequestsCount(db: Kysely<Database>, labId: string, accountId: string) {
	return db
		.selectFrom('funding_request as r')
		.where('r.lab_id', '=', labId)
		.where('r.state', 'in', WAITING)
		.where((w) => w.or([w('r.created_by', '=', accountId), isMyExperiment(db, labId, accountId, 'r.experiment_id')]))
		.select(count());
}

/** Submitted requests of the experiments the account is listed on (a sponsor follows them). */
export function followedRequestsCount(db: Kysely<Database>, labId: string, accountId: string) {
	return db
		.selectFrom('funding_request as r')
		.where('r.lab_id', '=', labId)
		.where('r.state', 'in', WAITING)
		.where(listedOnExperiment(db, accountId, 'r.experiment_id'))
		.select(count());
}
