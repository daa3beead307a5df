import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { isoIn, likeEscape, newId, nowIso, toCount, inTransaction } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import { enqueueMail } from '../mail';
import { mailTexts } from '../mail';
import { hashToken, newToken } from '../auth';
import { insertAccount, normaliseEmail } from '../auth';
import { hashPassword } from '../auth';
import { createSession } from '../auth';
import { accountLoginEmail, accountName, accountOrganisation, accountPerson, accountsMatching, checkAccountPassword, findAccount } from '../auth';
import { findLabById, type LabContext } from '../labs';
import { addMembership } from './membership';
import { formatDate } from '$lib/i18n';
import { isRole, type Role } from '$lib/shared/roles';
import { bumpContentVersion } from '../publiccache';

export interface Member {
	membershipId: string;
	accountId: string;
	name: string;
	email: string;
	organisation: string | null;
	role: Role;
	since: string;
}

export const MEMBERS_PAGE_SIZE = 50;

/** The lab's members by name (at most 500), for forms that pick some: authors, participants. */
export async function memberChoices(
	db: Kysely<Database>,
	ctx: LabContext
): Promise<{ accountId: string; personId: string; name: string; organisation: string | null }[]> {
	authorize(ctx.role, 'members.view');
	const rows = await db
		.selectFrom('membership as m')
		.where('m.lab_id', '=', ctx.lab.id)
		.select((eb) => [
			'm.account_id as accountId',
			accountPerson(eb.ref('m.account_id')).as('personId'),
			accountName(eb.ref('m.account_id')).as('name'),
			accountOrganisation(eb.ref('m.account_id')).as('organisation')
		])
		.orderBy('name')
		.limit(500)
		.execute();
	return rows.map((r) => ({ accountId: r.accountId, personId: r.personId!, name: r.name!, organisation: r.organisation ?? null }));
}
const INVITATION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

export async function listMembers(
	db: Kysely<Database>,
	ctx: LabContext,
	f: { q?: string; role?: Role; page?: number }
): Promise<{ rows: Member[]; total: number }> {
	authorize(ctx.role, 'members.view');
	let q = db.selectFrom('membership as m').where('m.lab_id', '=', ctx.lab.id);
	if (f.role) q = q.where('m.role', '=', f.role);
	if (f.q) q = q.where('m.account_id', 'in', accountsMatching(`%${likeEscape(f.q.trim().toLowerCase())}%`));
	const page = Math.max(1, f.page ?? 1);
	const [rows, total] = await Promise.all([
		q
			.select((eb) => [
				'm.id',
				'm.account_id',
				'm.role',
				'm.created_at',
				accountName(eb.ref('m.account_id')).as('name'),
				accountOrganisation(eb.ref('m.account_id')).as('organisation'),
				accountLoginEmail(eb.ref('m.account_id')).as('email')
			])
			.orderBy('name')
			.orderBy('m.id')
			.limit(MEMBERS_PAGE_SIZE)
			.offset((page - 1) * MEMBERS_PAGE_SIZE)
			.execute(),
		// Without a text filter the count needs no join (it is then answered from an index).
		(f.q
			? q
			: db
					.selectFrom('membership as m')
					.where('m.lab_id', '=', ctx.lab.id)
					.$if(Boolean(f.role), (qb) => qb.where('m.role', '=', f.role!))
		)
			.select((eb) => eb.fn.countAll().as('n'))
			.executeTakeFirstOrThrow()
	]);
	return {
		rows: rows.map((r) => ({
			membershipId: r.id,
			accountId: r.account_id,
			name: r.name ?? '',
			email: r.email ?? '',
			organisation: r.organisation ?? null,
			role: isRole(r.role) ? r.role : 'partner',
			since: r.created_at
		})),
		total: toCount(total.n)
	};
}

async function memberIn(db: Kysely<Database>, labId: string, membershipId: string) {
	const m = await db
		.selectFrom('membership as m')
		.where('m.id', '=', membershipId)
		.where('m.lab_id', '=', labId)
		.select((eb) => ['m.id', 'm.role', 'm.account_id', accountName(eb.ref('m.account_id')).as('name')])
		.executeTakeFirst();
	if (!m) throw new DomainError('members.notFound', 404);
	return { ...m, name: m.name ?? '' };
}

async function coordinatorCount(db: Kysely<Database>, labId: string): Promise<number> {
	const r = await db
		.selectFrom('membership')
		.where('lab_id', '=', labId)
		.where('role', '=', 'coordinator')
		.select((eb) => eb.fn.countAll().as('n'))
		.executeTakeFirstOrThrow();
	return toCount(r.n);
}

export async function changeRole(db: Kysely<Database>, ctx: LabContext, input: { membershipId: string; role: Role }): Promise<{ name: string }> {
	authorize(ctx.role, 'members.changeRole');
	return inTransaction(db, async (trx) => {
		const m = await memberIn(trx, ctx.lab.id, input.membershipId);
		if (m.role === input.role) return { name: m.name };
		if (m.role === 'coordinator' && (await coordinatorCount(trx, ctx.lab.id)) <= 1) throw new DomainError('members.lastCoordinator', 409, {}, 'role');
		await trx.updateTable('membership').set({ role: input.role, updated_at: nowIso() }).where('id', '=', m.id).where('lab_id', '=', ctx.lab.id).execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'member.changeRole',
			subjectType: 'membership',
			subjectId: m.id,
			summary: { from: m.role, to: input.role }
		});
		return { name: m.name };
	});
}

export async function removeMember(db: Kysely<Database>, ctx: LabContext, input: { membershipId: string }): Promise<{ name: string }> {
	authorize(ctx.role, 'members.remove');
	return inTransaction(db, async (trx) => {
		const m = await memberIn(trx, ctx.lab.id, input.membershipId);
		if (m.role === 'coordinator' && (await coordinatorCount(trx, ctx.lab.id)) <= 1) throw new DomainError('members.lastCoordinator', 409);
		await trx.deleteFrom('membership').where('id', '=', m.id).where('lab_id', '=', ctx.lab.id).execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'member.remove',
			subjectType: 'membership',
			subjectId: m.id,
			summary: { role: m.role }
		});
		await bumpContentVersion(trx, ctx.lab.id);
		return { name: m.name };
	});
}

export interface PendingInvitation {
	id: string;
	email: string;
	name: string;
	role: Role;
	invitedBy: string | null;
	expiresAt: string;
	createdAt: string;
}

export async function listPendingInvitations(db: Kysely<Database>, ctx: LabContext): Promise<PendingInvitation[]> {
	authorize(ctx.role, 'invitations.view');
	const rows = await db
		.selectFrom('invitation as i')
		.where('i.lab_id', '=', ctx.lab.id)
		.where('i.accepted_at', 'is', null)
		.where('i.revoked_at', 'is', null)
		.where('i.expires_at', '>', nowIso())
		.select((eb) => ['i.id', 'i.email', 'i.name', 'i.role', 'i.expires_at', 'i.created_at', accountName(eb.ref('i.invited_by')).as('inviter')])
		.orderBy('i.created_at', 'desc')
		.limit(200)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		email: r.email,
		name: r.name,
		role: isRole(r.role) ? r.role : 'partner',
		invitedBy: r.inviter,
		expiresAt: r.expires_at,
		createdAt: r.created_at
	}));
}

/**
 * Invites someone by e-mail: records the invitation and queues the mail in one transaction.
 * Refused if they are already a member or already have a pending invitation.
 */
export async function inviteMember(
	db: Kysely<Database>,
	ctx: LabContext,
	input: { email: string; name: string; role: Role; origin: string }
): Promise<{ invitationId: string; token: string }> {
	authorize(ctx.role, 'members.invite');
	const email = normaliseEmail(input.email);
	const token = newToken();
	const id = newId();
	await inTransaction(db, async (trx) => {
		const account = await findAccount(trx, { email });
		const member =
			account && (await trx.selectFrom('membership').where('lab_id', '=', ctx.lab.id).where('account_id', '=', account.id).select('id').executeTakeFirst());
		if (member) throw new DomainError('members.alreadyMember', 409, {}, 'email');
		const pending = await trx
			.selectFrom('invitation')
			.where('lab_id', '=', ctx.lab.id)
			.where('email', '=', email)
			.where('accepted_at', 'is', null)
			.where('revoked_at', 'is', null)
			.where('expires_at', '>', nowIso())
			.select('id')
			.executeTakeFirst();
		if (pending) throw new DomainError('invitation.alreadyPending', 409, {}, 'email');
		const expiresAt = isoIn(INVITATION_TTL_MS);
		await trx
			.insertInto('invitation')
			.values({
				id,
				lab_id: ctx.lab.id,
				email,
				name: input.name.trim(),
				role: input.role,
				token_hash: hashToken(token),
				invited_by: ctx.actor?.accountId ?? null,
				expires_at: expiresAt,
				accepted_at: null,
				revoked_at: null,
				created_at: nowIso()
			})
			.execute();
		const mail = mailTexts.invitation({
			name: input.name.trim(),
			labName: ctx.lab.name,
			role: input.role,
			inviter: ctx.actor?.name ?? ctx.lab.name,
			url: `${input.origin}/invitation/${token}`,
			expires: formatDate('fr', expiresAt)
		});
		await enqueueMail(trx, { labId: ctx.lab.id, to: email, ...mail });
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'invitation.create',
			subjectType: 'invitation',
			subjectId: id,
			summary: { role: input.role }
		});
	});
	return { invitationId: id, token };
}

export async function revokeInvitation(db: Kysely<Database>, ctx: LabContext, invitationId: string): Promise<void> {
	authorize(ctx.role, 'invitations.revoke');
	await inTransaction(db, async (trx) => {
		const res = await trx
			.updateTable('invitation')
			.set({ revoked_at: nowIso() })
			.where('id', '=', invitationId)
			.where('lab_id', '=', ctx.lab.id)
			.where('accepted_at', 'is', null)
			.where('revoked_at', 'is', null)
			.executeTakeFirst();
		if (Number(res.numUpdatedRows) !== 1) throw new DomainError('invitation.invalid', 404);
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'invitation.revoke',
			subjectType: 'invitation',
			subjectId: invitationId
		});
	});
}

export interface InvitationView {
	id: string;
	email: string;
	name: string;
	role: Role;
	labId: string;
	labSlug: string;
	labName: string;
	inviter: string | null;
	hasAccount: boolean;
}

/** Looks up an invitation by its link's token; says precisely why a link no longer works. */
export async function findInvitation(db: Kysely<Database>, token: string): Promise<InvitationView> {
	const row = await db
		.selectFrom('invitation as i')
		.where('i.token_hash', '=', hashToken(token))
		.select((eb) => [
			'i.id',
			'i.email',
			'i.name',
			'i.role',
			'i.expires_at',
			'i.accepted_at',
			'i.revoked_at',
			'i.lab_id',
			accountName(eb.ref('i.invited_by')).as('inviter')
		])
		.executeTakeFirst();
	const lab = row && (await findLabById(db, row.lab_id));
	if (!row || !lab) throw new DomainError('invitation.invalid', 404);
	if (row.accepted_at) throw new DomainError('invitation.used', 410);
	if (row.revoked_at) throw new DomainError('invitation.revoked', 410);
	if (Date.parse(row.expires_at) <= Date.now()) throw new DomainError('invitation.expired', 410);
	const account = await findAccount(db, { email: row.email });
	return {
		id: row.id,
		email: row.email,
		name: row.name,
		role: isRole(row.role) ? row.role : 'partner',
		labId: lab.id,
		labSlug: lab.slug,
		labName: lab.name,
		inviter: row.inviter,
		hasAccount: Boolean(account)
	};
}

/**
 * Accepts an invitation, once: creates the account (or checks the existing account's password),
 * adds the membership and opens a session.
 */
export async function acceptInvitation(
	db: Kysely<Database>,
	token: string,
	input: { name?: string; password: string }
): Promise<{ labSlug: string; session: { token: string; expiresAt: Date } }> {
	const inv = await findInvitation(db, token);
	// Hashing is slow: do it before the transaction, which then re-checks everything.
	const passwordHash = inv.hasAccount ? null : await hashPassword(input.password);
	const accountId = await inTransaction(db, async (trx) => {
		const current = await findInvitation(trx, token);
		let id: string;
		if (current.hasAccount) {
			id = await checkAccountPassword(trx, current.email, input.password);
		} else {
			id = (
				await insertAccount(trx, {
					name: input.name ?? current.name,
					email: current.email,
					passwordHash: passwordHash ?? (await hashPassword(input.password))
				})
			).accountId;
		}
		const res = await trx
			.updateTable('invitation')
			.set({ accepted_at: nowIso() })
			.where('id', '=', current.id)
			.where('accepted_at', 'is', null)
			.where('revoked_at', 'is', null)
			.executeTakeFirst();
		if (Number(res.numUpdatedRows) !== 1) throw new DomainError('invitation.used', 410);
		await addMembership(trx, { labId: current.labId, accountId: id, role: current.role, actorId: id });
		await recordAudit(trx, { labId: current.labId, actorId: id, action: 'invitation.accept', subjectType: 'invitation', subjectId: current.id });
		return id;
	});
	const session = await createSession(db, accountId);
	return { labSlug: inv.labSlug, session };
}
