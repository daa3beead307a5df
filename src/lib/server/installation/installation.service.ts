import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, likeEscape } from '../db/util';
import { DomainError } from '../errors';
import { authorizeInstallation } from '../policy';
import { lastActivityByLab, recordAudit } from '../audit';
import type { SessionUser } from '../auth';
import { accountsPage, disableAccount as disableAccountRow, enableAccount as enableAccountRow, findAccount as findAccountRow, normaliseEmail } from '../auth';
import { allLabs, createLab, findLabById, type LabContext, type LabSummary } from '../labs';
import { addMembership, inviteMember, membershipCounts, membershipOf, membershipStatsByLab, setMembershipRole } from '../members';
import { experimentCountsByLab } from '../experiments';
import { eventCountsByLab } from '../events';
import { postCountsByLab } from '../journal';

/**
 * Who administers the installation: a signed-in account, which must carry `is_admin`, or the
 * `labo` command line, trusted because whoever runs it already holds the database.
 */
export type InstallationActor = SessionUser | null | typeof COMMAND_LINE;
export const COMMAND_LINE = 'command-line' as const;

function check(actor: InstallationActor): { accountId: string | null; user: SessionUser | null } {
	if (actor === COMMAND_LINE) return { accountId: null, user: null };
	authorizeInstallation(actor);
	return { accountId: actor!.accountId, user: actor };
}

/** Creates a lab; the slug is checked and must be free (see labs.service createLab). */
export async function createLabAsAdmin(
	db: Kysely<Database>,
	actor: InstallationActor,
	input: { slug: string; name: string; region: string; description?: string }
): Promise<LabSummary> {
	const { accountId } = check(actor);
	return createLab(db, accountId, input);
}

async function labById(db: Kysely<Database>, labId: string): Promise<LabSummary> {
	const lab = await findLabById(db, labId);
	if (!lab) throw new DomainError('error.labNotFound', 404);
	return lab;
}

export type Appointment =
	| { kind: 'appointed'; name: string; labName: string }
	| { kind: 'promoted'; name: string; labName: string }
	| { kind: 'invited'; email: string; labName: string; token: string };

/**
 * Makes someone a coordinator of a lab, by e-mail: an existing account becomes coordinator at
 * once (added, or promoted if already a member); anyone else receives an invitation as
 * coordinator, through the labs' own invitation mechanism (link valid 14 days).
 */
export async function appointCoordinator(
	db: Kysely<Database>,
	actor: InstallationActor,
	input: { labId: string; email: string; name?: string; origin: string }
): Promise<Appointment> {
	const { accountId, user } = check(actor);
	const lab = await labById(db, input.labId);
	const email = normaliseEmail(input.email);
	const done = await inTransaction(db, async (trx): Promise<Appointment | null> => {
		const account = await findAccountRow(trx, { email });
		if (!account) return null;
		if (account.disabledAt) throw new DomainError('installation.accountIsDisabled', 409, {}, 'email');
		const membership = await membershipOf(trx, lab.id, account.id);
		if (!membership) {
			await addMembership(trx, { labId: lab.id, accountId: account.id, role: 'coordinator', actorId: accountId });
			return { kind: 'appointed', name: account.name, labName: lab.name };
		}
		if (membership.role === 'coordinator') throw new DomainError('installation.alreadyCoordinator', 409, { name: account.name }, 'email');
		await setMembershipRole(trx, membership.id, 'coordinator');
		await recordAudit(trx, {
			labId: lab.id,
			actorId: accountId,
			action: 'member.changeRole',
			subjectType: 'membership',
			subjectId: membership.id,
			summary: { from: membership.role, to: 'coordinator', by: 'installation' }
		});
		return { kind: 'promoted', name: account.name, labName: lab.name };
	});
	if (done) return done;
	const name = input.name?.trim();
	if (!name) throw new DomainError('installation.nameForInvitation', 400, {}, 'name');
	// The installation admin acts in this lab with a coordinator's right to invite, only here.
	const ctx: LabContext = { lab, actor: user, role: 'coordinator' };
	const { token } = await inviteMember(db, ctx, { email, name, role: 'coordinator', origin: input.origin });
	return { kind: 'invited', email, labName: lab.name, token };
}

export interface LabOverview extends LabSummary {
	createdAt: string;
	members: number;
	coordinators: number;
	pendingInvitations: number;
	experiments: number;
	events: number;
	posts: number;
	/** The latest audit entry of the lab: any write counts as activity. */
	lastActivity: string | null;
}

/**
 * Every lab with its size and last activity. A fixed number of grouped queries, whatever the
 * number of labs (each answered from a `lab_id` index).
 */
export async function labsOverview(db: Kysely<Database>, actor: InstallationActor): Promise<LabOverview[]> {
	check(actor);
	const [labs, memberships, x, e, p, last] = await Promise.all([
		allLabs(db),
		membershipStatsByLab(db),
		experimentCountsByLab(db),
		eventCountsByLab(db),
		postCountsByLab(db),
		lastActivityByLab(db)
	]);
	const { members: m, coordinators: c, pendingInvitations: i } = memberships;
	return labs.map((l) => ({
		id: l.id,
		slug: l.slug,
		name: l.name,
		region: l.region,
		description: l.description,
		createdAt: l.createdAt,
		members: m.get(l.id) ?? 0,
		coordinators: c.get(l.id) ?? 0,
		pendingInvitations: i.get(l.id) ?? 0,
		experiments: x.get(l.id) ?? 0,
		events: e.get(l.id) ?? 0,
		posts: p.get(l.id) ?? 0,
		lastActivity: last.get(l.id) ?? null
	}));
}

export interface AccountRow {
	accountId: string;
	name: string;
	email: string;
	organisation: string | null;
	isAdmin: boolean;
	disabledAt: string | null;
	labs: number;
	createdAt: string;
}

export const ACCOUNTS_PAGE_SIZE = 50;

/** The installation's accounts by name, optionally filtered by name or e-mail, one page at a time. */
export async function listAccounts(
	db: Kysely<Database>,
	actor: InstallationActor,
	f: { q?: string; page?: number }
): Promise<{ rows: AccountRow[]; total: number }> {
	check(actor);
	const pattern = f.q?.trim() ? `%${likeEscape(f.q.trim().toLowerCase())}%` : undefined;
	const { rows, total } = await accountsPage(db, { pattern, page: Math.max(1, f.page ?? 1), pageSize: ACCOUNTS_PAGE_SIZE });
	const labs = await membershipCounts(
		db,
		rows.map((r) => r.accountId)
	);
	return { rows: rows.map((r) => ({ ...r, labs: labs.get(r.accountId) ?? 0 })), total };
}

type AccountRef = { accountId: string } | { email: string };

async function findAccount(db: Kysely<Database>, ref: AccountRef) {
	const acc = await findAccountRow(db, 'accountId' in ref ? ref : { email: normaliseEmail(ref.email) });
	if (!acc) throw new DomainError('installation.accountNotFound', 404, {}, 'email');
	return acc;
}

/**
 * Disables an account in every lab at once: it can no longer log in, every open session ends,
 * unused reset links die, and it receives no more notification mail. Memberships and
 * everything the person wrote stay. An administrator cannot disable their own account.
 */
export async function disableAccount(db: Kysely<Database>, actor: InstallationActor, ref: AccountRef): Promise<{ name: string; email: string }> {
	const { accountId } = check(actor);
	return inTransaction(db, async (trx) => {
		const acc = await findAccount(trx, ref);
		if (acc.id === accountId) throw new DomainError('installation.cannotDisableSelf', 409);
		if (acc.disabledAt) return { name: acc.name, email: acc.email };
		await disableAccountRow(trx, acc.id);
		await recordAudit(trx, { labId: null, actorId: accountId, action: 'account.disable', subjectType: 'account', subjectId: acc.id });
		return { name: acc.name, email: acc.email };
	});
}

/** Lets a disabled account log in again (with its former password, or through a reset link). */
export async function enableAccount(db: Kysely<Database>, actor: InstallationActor, ref: AccountRef): Promise<{ name: string; email: string }> {
	const { accountId } = check(actor);
	return inTransaction(db, async (trx) => {
		const acc = await findAccount(trx, ref);
		if (!acc.disabledAt) return { name: acc.name, email: acc.email };
		await enableAccountRow(trx, acc.id);
		await recordAudit(trx, { labId: null, actorId: accountId, action: 'account.enable', subjectType: 'account', subjectId: acc.id });
		return { name: acc.name, email: acc.email };
	});
}
