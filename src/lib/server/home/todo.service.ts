/**
 * "À traiter": what waits on the signed-in member in one lab, by role, as counts with a link.
 * Every count of a role is one scalar subquery of a single statement (one round trip), and each
 * is gated by the policy action that lets the role see what it counts.
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/schema';
import { toCount } from '../db/util';
import { can, type Action } from '../policy';
import { listedOnExperiment } from '../policy/scopes';
import type { LabContext } from '../labs';

export const TODO_KEYS = [
	// coordinator
	'fundToDecide',
	'commentsToModerate',
	'callsShort',
	'specsInReview',
	'importsFailed',
	'mailsFailed',
	'invitationsExpiring',
	'postsScheduled',
	// resident
	'myMilestones',
	'myDraftRequests',
	'myWaitingRequests',
	// referent
	'callsToAnswer',
	'myFacilitations',
	// sponsor
	'followedRequests',
	'followedMilestones'
] as const;
export type TodoKey = (typeof TODO_KEYS)[number];

export interface TodoItem {
	key: TodoKey;
	count: number;
	href: string;
}

const DAY = 24 * 60 * 60 * 1000;
/** How far ahead milestones and expiring invitations are worth a mention. */
export const MILESTONE_HORIZON_DAYS = 30;
export const INVITATION_HORIZON_DAYS = 3;
/** A failed import is news for two weeks; after that it is history (its page keeps it). */
export const FAILED_IMPORT_DAYS = 14;

type CountQuery = SelectQueryBuilder<any, any, { n: string | number | bigint }>;
interface Probe {
	key: TodoKey;
	/** What the role must be allowed to see for this count to be computed at all. */
	action: Action;
	count: () => CountQuery;
	href: string;
}

/** The items waiting on the caller in this lab, in a stable order, only those with a count. */
export async function whatNeedsMe(db: Kysely<Database>, ctx: LabContext, now = new Date()): Promise<TodoItem[]> {
	if (!ctx.actor || !ctx.role) return [];
	const probes = probesFor(db, ctx, now).filter((p) => can(ctx.role, p.action));
	if (!probes.length) return [];
	// One statement: `select (select count(*) …) as a, (select count(*) …) as b, …`.
	const row = (await db.selectNoFrom(probes.map((p) => p.count().as(p.key))).executeTakeFirstOrThrow()) as Record<string, unknown>;
	const items = probes.map((p) => ({ key: p.key, count: toCount(row[p.key]), href: p.href })).filter((i) => i.count > 0);
	// Two links are better aimed once the counts are known: a single item opens its own page.
	const single = items.filter((i) => i.count === 1 && (i.key === 'myFacilitations' || i.key === 'importsFailed'));
	for (const item of single) item.href = (await singleHref(db, ctx, item.key, now)) ?? item.href;
	return items;
}

/** The total of the counts, for the navigation badge. */
export const todoTotal = (items: TodoItem[]): number => items.reduce((n, i) => n + i.count, 0);

function probesFor(db: Kysely<Database>, ctx: LabContext, now: Date): Probe[] {
	const labId = ctx.lab.id;
	const me = ctx.actor!;
	const base = `/l/${ctx.lab.slug}`;
	const nowIso = now.toISOString();
	const today = nowIso.slice(0, 10);
	const milestoneEnd = new Date(now.getTime() + MILESTONE_HORIZON_DAYS * DAY).toISOString().slice(0, 10);
	const count = sql<number>`count(*)`.as('n');

	/** Experiments the caller is listed on (sponsors and partners follow them this way). */
	const listedOn = (ref: string) => listedOnExperiment(db, me.accountId, ref);

	switch (ctx.role) {
		case 'coordinator':
			return [
				{
					key: 'fundToDecide',
					action: 'fund.manage',
					href: `${base}/fund`,
					// Requests waiting for a decision that this coordinator may take: the fund's deciders
					// are the coordinators, or a committee they sit on.
					count: () =>
						db
							.selectFrom('funding_request as r')
							.innerJoin('envelope as e', 'e.id', 'r.envelope_id')
							.innerJoin('fund as f', 'f.id', 'e.fund_id')
							.where('r.lab_id', '=', labId)
							.where('r.state', 'in', ['submitted', 'under_review'])
							.where((w) =>
								w.or([
									w('f.deciders', '=', 'coordinator'),
									w.exists(w.selectFrom('fund_committee as fc').whereRef('fc.fund_id', '=', 'f.id').where('fc.account_id', '=', me.accountId).select('fc.account_id'))
								])
							)
							.select(count)
				},
				{
					key: 'commentsToModerate',
					action: 'journal.moderate',
					href: `${base}/journal/moderation`,
					count: () => db.selectFrom('comment').where('lab_id', '=', labId).where('state', '=', 'pending').select(count)
				},
				{
					key: 'callsShort',
					action: 'network.manage',
					href: `${base}/network/calls`,
					// Sent calls still open whose "yes" answers do not yet reach the number needed.
					count: () =>
						db
							.selectFrom('network_call as c')
							.where('c.lab_id', '=', labId)
							.where('c.state', '=', 'open')
							.where('c.deadline', '>', nowIso)
							.where((w) => w(db.selectFrom('call_answer as a').where('a.call_id', '=', sql.ref<string>('c.id')).where('a.answer', '=', 'yes').select(sql<number>`count(*)`.as('yes')), '<', w.ref('c.needed')))
							.select(count)
				},
				{
					key: 'specsInReview',
					action: 'specs.view',
					href: `${base}/specs#h-specification`,
					count: () => db.selectFrom('specification').where('lab_id', '=', labId).where('kind', '=', 'specification').where('state', '=', 'under_review').select(count)
				},
				{
					key: 'importsFailed',
					action: 'network.import',
					href: `${base}/network/import`,
					count: () =>
						db
							.selectFrom('import_job')
							.where('lab_id', '=', labId)
							.where('state', '=', 'failed')
							.where('updated_at', '>', new Date(now.getTime() - FAILED_IMPORT_DAYS * DAY).toISOString())
							.select(count)
				},
				{
					key: 'mailsFailed',
					action: 'outbox.view',
					href: `${base}/outbox?state=failed`,
					count: () => db.selectFrom('outbox_message').where('lab_id', '=', labId).where('state', '=', 'failed').select(count)
				},
				{
					key: 'invitationsExpiring',
					action: 'invitations.view',
					href: `${base}/members#pending-h`,
					count: () =>
						db
							.selectFrom('invitation')
							.where('lab_id', '=', labId)
							.where('accepted_at', 'is', null)
							.where('revoked_at', 'is', null)
							.where('expires_at', '>', nowIso)
							.where('expires_at', '<=', new Date(now.getTime() + INVITATION_HORIZON_DAYS * DAY).toISOString())
							.select(count)
				},
				{
					key: 'postsScheduled',
					action: 'journal.write',
					href: `${base}/journal/admin?state=scheduled`,
					count: () => db.selectFrom('post').where('lab_id', '=', labId).where('state', '=', 'scheduled').select(count)
				}
			];
		case 'resident': {
			/** The resident's experiments: those they created or are listed on. */
			const mine = (ref: string) =>
				sql<boolean>`exists ${db
					.selectFrom('experiment as x')
					.where('x.id', '=', sql.ref<string>(ref))
					.where('x.lab_id', '=', labId)
					.where((w) => w.or([w('x.created_by', '=', me.accountId), listedOn('x.id')]))
					.select('x.id')}`;
			return [
				{
					key: 'myMilestones',
					action: 'experiments.view',
					href: `${base}/experiments/timeline`,
					count: () =>
						db
							.selectFrom('experiment_milestone as m')
							.where('m.lab_id', '=', labId)
							.where('m.state', '=', 'planned')
							.where('m.due_on', '>=', today)
							.where('m.due_on', '<=', milestoneEnd)
							.where(mine('m.experiment_id'))
							.select(count)
				},
				{
					key: 'myDraftRequests',
					action: 'fund.request',
					href: `${base}/fund`,
					count: () => db.selectFrom('funding_request as r').where('r.lab_id', '=', labId).where('r.state', '=', 'draft').where('r.created_by', '=', me.accountId).select(count)
				},
				{
					key: 'myWaitingRequests',
					action: 'fund.request',
					href: `${base}/fund`,
					count: () =>
						db
							.selectFrom('funding_request as r')
							.where('r.lab_id', '=', labId)
							.where('r.state', 'in', ['submitted', 'under_review'])
							.where((w) => w.or([w('r.created_by', '=', me.accountId), mine('r.experiment_id')]))
							.select(count)
				}
			];
		}
		case 'referent':
			return [
				{
					key: 'callsToAnswer',
					action: 'network.join',
					// Where the referent answers, signed in, whatever the number of calls.
					href: `${base}/network/me/calls`,
					count: () => myOpenAnswers(db, labId, me.personId, nowIso).select(count)
				},
				{
					key: 'myFacilitations',
					action: 'network.join',
					href: `${base}/events`,
					count: () => myAssignments(db, labId, me.personId, nowIso).select(count)
				}
			];
		case 'sponsor':
			return [
				{
					key: 'followedRequests',
					action: 'fund.view',
					href: `${base}/fund`,
					count: () =>
						db
							.selectFrom('funding_request as r')
							.where('r.lab_id', '=', labId)
							.where('r.state', 'in', ['submitted', 'under_review'])
							.where(listedOn('r.experiment_id'))
							.select(count)
				},
				{
					key: 'followedMilestones',
					action: 'experiments.view',
					href: `${base}/experiments/timeline`,
					count: () =>
						db
							.selectFrom('experiment_milestone as m')
							.where('m.lab_id', '=', labId)
							.where('m.state', '=', 'planned')
							.where('m.due_on', '>=', today)
							.where('m.due_on', '<=', milestoneEnd)
							.where(listedOn('m.experiment_id'))
							.select(count)
				}
			];
		default:
			return [];
	}
}

/** Call answers still expected from the caller's referent profile: open calls, before their deadline. */
function myOpenAnswers(db: Kysely<Database>, labId: string, personId: string, nowIso: string) {
	return db
		.selectFrom('call_answer as a')
		.innerJoin('network_call as c', 'c.id', 'a.call_id')
		.innerJoin('referent as rf', 'rf.id', 'a.referent_id')
		.where('rf.lab_id', '=', labId)
		.where('c.lab_id', '=', labId)
		.where('rf.person_id', '=', personId)
		.where('rf.withdrawn_at', 'is', null)
		.where('a.answered_at', 'is', null)
		.where('c.state', '=', 'open')
		.where('c.deadline', '>', nowIso);
}

/** The caller's confirmed facilitations at events still to come. */
function myAssignments(db: Kysely<Database>, labId: string, personId: string, nowIso: string) {
	return db
		.selectFrom('call_assignment as s')
		.innerJoin('network_call as c', 'c.id', 's.call_id')
		.innerJoin('event as e', 'e.id', 'c.event_id')
		.innerJoin('referent as rf', 'rf.id', 's.referent_id')
		.where('rf.lab_id', '=', labId)
		.where('c.lab_id', '=', labId)
		.where('rf.person_id', '=', personId)
		.where('c.state', '!=', 'cancelled')
		.where('e.starts_at', '>', nowIso);
}

/** The page of the one thing counted, when there is exactly one. */
async function singleHref(db: Kysely<Database>, ctx: LabContext, key: TodoKey, now: Date): Promise<string | null> {
	const base = `/l/${ctx.lab.slug}`;
	if (key === 'myFacilitations') {
		const row = await myAssignments(db, ctx.lab.id, ctx.actor!.personId, now.toISOString()).select('c.event_id').executeTakeFirst();
		return row ? `${base}/events/${row.event_id}` : null;
	}
	if (key === 'importsFailed') {
		const job = await db
			.selectFrom('import_job')
			.where('lab_id', '=', ctx.lab.id)
			.where('state', '=', 'failed')
			.where('updated_at', '>', new Date(now.getTime() - FAILED_IMPORT_DAYS * DAY).toISOString())
			.select(['id', 'kind'])
			.executeTakeFirst();
		if (job?.kind === 'network.invitations') return `${base}/network/import/${job.id}`;
		if (job?.kind === 'journal.wordpress') return `${base}/journal/import/${job.id}`;
		return null;
	}
	return null;
}
