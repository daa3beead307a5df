import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, likeEscape, nowIso, toCount } from '../db/util';
import { DomainError } from '../errors';
import { authorizeInstallation } from '../policy';
import { recordAudit } from '../audit';
import { invalidateAllSessions, type SessionUser } from '../auth';
import { normaliseEmail } from '../auth';
import { addMembership, createLab, type LabContext, type LabSummary } from '../labs';
import { inviteMember } from '../members';

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
	const lab = await db.selectFrom('lab').where('id', '=', labId).select(['id', 'slug', 'name', 'region', 'description']).executeTakeFirst();
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
		const account = await trx
			.selectFrom('account as a')
			.innerJoin('person as p', 'p.id', 'a.person_id')
			.where('a.email', '=', email)
			.select(['a.id', 'a.disabled_at', 'p.name'])
			.executeTakeFirst();
		if (!account) return null;
		if (account.disabled_at) throw new DomainError('installation.accountIsDisabled', 409, {}, 'email');
		const membership = await trx
			.selectFrom('membership')
			.where('lab_id', '=', lab.id)
			.where('account_id', '=', account.id)
			.select(['id', 'role'])
			.executeTakeFirst();
		if (!membership) {
			await addMembership(trx, { labId: lab.id, accountId: account.id, role: 'coordinator', actorId: accountId });
			return { kind: 'appointed', name: account.name, labName: lab.name };
		}
		if (membership.role === 'coordinator') throw new DomainError('installation.alreadyCoordinator', 409, { name: account.name }, 'email');
		await trx.updateTable('membership').set({ role: 'coordinator', updated_at: nowIso() }).where('id', '=', membership.id).execute();
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
	const counted = <T extends { lab_id: string; n: unknown }>(rows: T[]) => new Map(rows.map((r) => [r.lab_id, toCount(r.n)]));
	const [labs, members, coordinators, invitations, experiments, events, posts, activity] = await Promise.all([
		db.selectFrom('lab').select(['id', 'slug', 'name', 'region', 'description', 'created_at']).orderBy('name').orderBy('slug').execute(),
		db.selectFrom('membership').select(['lab_id', (eb) => eb.fn.countAll().as('n')]).groupBy('lab_id').execute(),
		db.selectFrom('membership').where('role', '=', 'coordinator').select(['lab_id', (eb) => eb.fn.countAll().as('n')]).groupBy('lab_id').execute(),
		db
			.selectFrom('invitation')
			.where('accepted_at', 'is', null)
			.where('revoked_at', 'is', null)
			.where('expires_at', '>', nowIso())
			.select(['lab_id', (eb) => eb.fn.countAll().as('n')])
			.groupBy('lab_id')
			.execute(),
		db.selectFrom('experiment').select(['lab_id', (eb) => eb.fn.countAll().as('n')]).groupBy('lab_id').execute(),
		db.selectFrom('event').select(['lab_id', (eb) => eb.fn.countAll().as('n')]).groupBy('lab_id').execute(),
		db.selectFrom('post').where('kind', '=', 'post').select(['lab_id', (eb) => eb.fn.countAll().as('n')]).groupBy('lab_id').execute(),
		db
			.selectFrom('audit_entry')
			.where('lab_id', 'is not', null)
			.select(['lab_id', (eb) => eb.fn.max('created_at').as('last')])
			.groupBy('lab_id')
			.execute()
	]);
	const m = counted(members);
	const c = counted(coordinators);
	const i = counted(invitations);
	const x = counted(experiments);
	const e = counted(events);
	const p = counted(posts);
	const last = new Map(activity.map((a) => [a.lab_id, a.last]));
	return labs.map((l) => ({
		id: l.id,
		slug: l.slug,
		name: l.name,
		region: l.region,
		description: l.description,
		createdAt: l.created_at,
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
	let q = db.selectFrom('account as a').innerJoin('person as p', 'p.id', 'a.person_id');
	if (f.q?.trim()) {
		const pat = `%${likeEscape(f.q.trim().toLowerCase())}%`;
		q = q.where((eb) => eb.or([sql<boolean>`lower(p.name) like ${pat} escape '\\'`, sql<boolean>`a.email like ${pat} escape '\\'`]));
	}
	const page = Math.max(1, f.page ?? 1);
	const [rows, total] = await Promise.all([
		q
			.leftJoin(
				(eb) => eb.selectFrom('membership').select(['account_id', (x) => x.fn.countAll().as('n')]).groupBy('account_id').as('ms'),
				(j) => j.onRef('ms.account_id', '=', 'a.id')
			)
			.select(['a.id', 'a.email', 'a.is_admin', 'a.disabled_at', 'a.created_at', 'p.name', 'p.organisation', 'ms.n'])
			.orderBy('p.name')
			.orderBy('a.id')
			.limit(ACCOUNTS_PAGE_SIZE)
			.offset((page - 1) * ACCOUNTS_PAGE_SIZE)
			.execute(),
		q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
	]);
	return {
		rows: rows.map((r) => ({
			accountId: r.id,
			name: r.name,
			email: r.email,
			organisation: r.organisation,
			isAdmin: r.is_admin === 1,
			disabledAt: r.disabled_at,
			labs: toCount(r.n),
			createdAt: r.created_at
		})),
		total: toCount(total.n)
	};
}

type AccountRef = { accountId: string } | { email: string };

async function findAccount(db: Kysely<Database>, ref: AccountRef) {
	let q = db.selectFrom('account as a').innerJoin('person as p', 'p.id', 'a.person_id');
	q = 'accountId' in ref ? q.where('a.id', '=', ref.accountId) : q.where('a.email', '=', normaliseEmail(ref.email));
	const acc = await q.select(['a.id', 'a.email', 'a.disabled_at', 'p.name']).executeTakeFirst();
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
		if (acc.disabled_at) return { name: acc.name, email: acc.email };
		const now = nowIso();
		await trx.updateTable('account').set({ disabled_at: now, updated_at: now }).where('id', '=', acc.id).where('disabled_at', 'is', null).execute();
		await invalidateAllSessions(trx, acc.id);
		await trx.updateTable('password_reset').set({ used_at: now }).where('account_id', '=', acc.id).where('used_at', 'is', null).execute();
		await recordAudit(trx, { labId: null, actorId: accountId, action: 'account.disable', subjectType: 'account', subjectId: acc.id });
		return { name: acc.name, email: acc.email };
	});
}

/** Lets a disabled account log in again (with its former password, or through a reset link). */
export async function enableAccount(db: Kysely<Database>, actor: InstallationActor, ref: AccountRef): Promise<{ name: string; email: string }> {
	const { accountId } = check(actor);
	return inTransaction(db, async (trx) => {
		const acc = await findAccount(trx, ref);
		if (!acc.disabled_at) return { name: acc.name, email: acc.email };
		await trx.updateTable('account').set({ disabled_at: null, updated_at: nowIso() }).where('id', '=', acc.id).execute();
		await recordAudit(trx, { labId: null, actorId: accountId, action: 'account.enable', subjectType: 'account', subjectId: acc.id });
		return { name: acc.name, email: acc.email };
	});
}
