/**
 * "À traiter": what waits on the signed-in member in one lab, by role, as counts with a link.
 * Every count of a role is one scalar subquery of a single statement (one round trip), and each
 * is gated by the policy action that lets the role see what it counts. The counts are the
 * owners' queries (fund/todo.ts, network/todo.ts, …): home only composes them.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/schema';
import { toCount } from '../db/util';
import { can, type Action } from '../policy';
import type { LabContext } from '../labs';
import { dueMilestonesCount } from '../experiments';
import { draftRequestsCount, followedRequestsCount, requestsToDecideCount, waitingRequestsCount } from '../fund';
import { aFailedImport, failedImportsCount } from '../jobs';
import { pendingCommentsCount, scheduledPostsCount } from '../journal';
import { failedMailsCount } from '../mail';
import { expiringInvitationsCount } from '../members';
import { anUpcomingAssignment, openAnswersCount, shortCallsCount, upcomingAssignmentsCount } from '../network';
import { specsInReviewCount } from '../specs';

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
	const milestones = { from: today, to: new Date(now.getTime() + MILESTONE_HORIZON_DAYS * DAY).toISOString().slice(0, 10) };

	switch (ctx.role) {
		case 'coordinator':
			return [
				{ key: 'fundToDecide', action: 'fund.manage', href: `${base}/fund`, count: () => requestsToDecideCount(db, labId, me.accountId) },
				{ key: 'commentsToModerate', action: 'journal.moderate', href: `${base}/journal/moderation`, count: () => pendingCommentsCount(db, labId) },
				{ key: 'callsShort', action: 'network.manage', href: `${base}/network/calls`, count: () => shortCallsCount(db, labId, nowIso) },
				{ key: 'specsInReview', action: 'specs.view', href: `${base}/specs#h-specification`, count: () => specsInReviewCount(db, labId) },
				{ key: 'importsFailed', action: 'network.import', href: `${base}/network/import`, count: () => failedImportsCount(db, labId, failedSince(now)) },
				{ key: 'mailsFailed', action: 'outbox.view', href: `${base}/outbox?state=failed`, count: () => failedMailsCount(db, labId) },
				{
					key: 'invitationsExpiring',
					action: 'invitations.view',
					href: `${base}/members#pending-h`,
					count: () => expiringInvitationsCount(db, labId, nowIso, new Date(now.getTime() + INVITATION_HORIZON_DAYS * DAY).toISOString())
				},
				{ key: 'postsScheduled', action: 'journal.write', href: `${base}/journal/admin?state=scheduled`, count: () => scheduledPostsCount(db, labId) }
			];
		case 'resident':
			// The resident's experiments: those they created or are listed on.
			return [
				{
					key: 'myMilestones',
					action: 'experiments.view',
					href: `${base}/experiments/timeline`,
					count: () => dueMilestonesCount(db, labId, me.accountId, milestones, 'mine')
				},
				{ key: 'myDraftRequests', action: 'fund.request', href: `${base}/fund`, count: () => draftRequestsCount(db, labId, me.accountId) },
				{ key: 'myWaitingRequests', action: 'fund.request', href: `${base}/fund`, count: () => waitingRequestsCount(db, labId, me.accountId) }
			];
		case 'referent':
			return [
				// Where the referent answers, signed in, whatever the number of calls.
				{ key: 'callsToAnswer', action: 'network.join', href: `${base}/network/me/calls`, count: () => openAnswersCount(db, labId, me.personId, nowIso) },
				{ key: 'myFacilitations', action: 'network.join', href: `${base}/events`, count: () => upcomingAssignmentsCount(db, labId, me.personId, nowIso) }
			];
		case 'sponsor':
			// Sponsors follow the experiments they are listed on.
			return [
				{ key: 'followedRequests', action: 'fund.view', href: `${base}/fund`, count: () => followedRequestsCount(db, labId, me.accountId) },
				{
					key: 'followedMilestones',
					action: 'experiments.view',
					href: `${base}/experiments/timeline`,
					count: () => dueMilestonesCount(db, labId, me.accountId, milestones, 'listed')
				}
			];
		default:
			return [];
	}
}

/** Failed imports are news until this instant's FAILED_IMPORT_DAYS ago. */
const failedSince = (now: Date) => new Date(now.getTime() - FAILED_IMPORT_DAYS * DAY).toISOString();

/** The page of the one thing counted, when there is exactly one. */
async function singleHref(db: Kysely<Database>, ctx: LabContext, key: TodoKey, now: Date): Promise<string | null> {
	const base = `/l/${ctx.lab.slug}`;
	if (key === 'myFacilitations') {
		const one = await anUpcomingAssignment(db, ctx.lab.id, ctx.actor!.personId, now.toISOString());
		return one ? `${base}/events/${one.eventId}` : null;
	}
	if (key === 'importsFailed') {
		const job = await aFailedImport(db, ctx.lab.id, failedSince(now));
		if (job?.kind === 'network.invitations') return `${base}/network/import/${job.id}`;
		if (job?.kind === 'journal.wordpress') return `${base}/journal/import/${job.id}`;
		return null;
	}
	return null;
}
