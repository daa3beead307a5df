import type { Role } from '$lib/shared/roles';
import { DomainError } from '../errors';

/**
 * Every "may this person do this, in this lab?" is answered here and nowhere else.
 * `null` stands for a visitor who is not a member of the lab (anonymous or from another lab).
 */
export const RULES = {
	/** The lab's public face. */
	'lab.viewPublic': ['public', 'coordinator', 'resident', 'referent', 'sponsor', 'partner'],
	/** The members' workspace home. */
	'lab.viewWorkspace': ['coordinator', 'resident', 'referent', 'sponsor', 'partner'],
	'lab.settings': ['coordinator'],
	'members.view': ['coordinator', 'resident', 'referent', 'sponsor'],
	'members.invite': ['coordinator'],
	'members.changeRole': ['coordinator'],
	'members.remove': ['coordinator'],
	'invitations.view': ['coordinator'],
	'invitations.revoke': ['coordinator'],
	'audit.view': ['coordinator'],
	'outbox.view': ['coordinator'],
	/** Partners only see items shared with partners or the public (visibility). */
	'knowledge.view': ['coordinator', 'resident', 'referent', 'sponsor', 'partner'],
	'knowledge.edit': ['coordinator', 'resident'],
	'search.use': ['coordinator', 'resident', 'referent', 'sponsor', 'partner'],
	'events.view': ['coordinator', 'resident', 'referent', 'sponsor'],
	'events.edit': ['coordinator', 'resident'],
	/** Cancelling keeps the event in the history; deleting (a mistake, nothing linked to it) is the coordinators'. */
	'events.cancel': ['coordinator', 'resident'],
	'events.delete': ['coordinator'],
	/** Partners see only the experiments they are listed on (see experiments.viewAll). */
	'experiments.view': ['coordinator', 'resident', 'referent', 'sponsor', 'partner'],
	'experiments.viewAll': ['coordinator', 'resident', 'referent', 'sponsor'],
	'experiments.edit': ['coordinator', 'resident'],
	'experiments.manageAccess': ['coordinator'],
	/** Sponsors see envelopes and the requests of experiments they are listed on. */
	'fund.view': ['coordinator', 'resident', 'sponsor'],
	'fund.viewAll': ['coordinator', 'resident'],
	'fund.request': ['coordinator', 'resident'],
	'fund.review': ['coordinator', 'sponsor'],
	/** Envelopes, commitments, payments, releases, reversals; and decisions when coordinators decide. */
	'fund.manage': ['coordinator'],
	'specs.view': ['coordinator', 'resident', 'sponsor'],
	'specs.edit': ['coordinator', 'resident'],
	'specs.award': ['coordinator'],
	/** Joining the referent network is open to every member, with their own consent. */
	'network.join': ['coordinator', 'resident', 'referent', 'sponsor', 'partner'],
	/** The directory and profiles hold personal data: the lab's staff only. */
	'network.view': ['coordinator', 'resident'],
	/** Skills list, calls for facilitators, assignments. */
	'network.manage': ['coordinator', 'resident'],
	/** Importing agents (who are then e-mailed) and carrying out erasure requests. */
	'network.import': ['coordinator'],
	'network.erase': ['coordinator'],
	/** Aggregated figures; no personal data beyond names and counts. */
	'network.dashboard': ['coordinator', 'resident', 'sponsor'],
	/** Writing, scheduling and publishing posts; publishing experiments on the public site. */
	'journal.write': ['coordinator', 'resident'],
	'journal.moderate': ['coordinator', 'resident'],
	/** Importing a blog, and exporting or erasing a commenter's data. */
	'journal.import': ['coordinator'],
	'journal.commenters': ['coordinator']
} as const satisfies Record<string, readonly (Role | 'public')[]>;

export type Action = keyof typeof RULES;
export const ACTIONS = Object.keys(RULES) as Action[];

export function can(role: Role | null, action: Action): boolean {
	const allowed: readonly string[] = RULES[action];
	return allowed.includes(role ?? 'public');
}

/** Throws a 403 DomainError unless `role` may do `action`. */
export function authorize(role: Role | null, action: Action): void {
	if (!can(role, action)) throw new DomainError('error.forbidden', 403);
}

/** The actions a role may take, for the UI to show only what works. */
export function permissionsOf(role: Role | null): Record<Action, boolean> {
	return Object.fromEntries(ACTIONS.map((a) => [a, can(role, a)])) as Record<Action, boolean>;
}

/**
 * Installation administration (every lab, every account) is not a lab role: it belongs to
 * accounts flagged `is_admin` (set by `npm run labo -- create-user --admin`).
 */
export function canAdministerInstallation(user: { isAdmin: boolean } | null): boolean {
	return user?.isAdmin === true;
}

/** Throws a 403 DomainError unless `user` is an installation administrator. */
export function authorizeInstallation(user: { isAdmin: boolean } | null): void {
	if (!canAdministerInstallation(user)) throw new DomainError('error.forbidden', 403);
}
