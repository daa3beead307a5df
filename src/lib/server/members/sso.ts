/**
 * How someone signing in through the OpenID Provider joins labs (docs/decisions/016):
 * - the pending invitations addressed to their verified e-mail are accepted (the provider vouches
 *   for the mailbox, as the invitation link does);
 * - otherwise nobody joins, unless a lab's coordinators listed their e-mail's domain, with the
 *   role such people get (none by default; never coordinator).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, newId, nowIso } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import type { LabContext } from '../labs';
import { addMembership } from './membership';
import { isRole, type Role } from '$lib/shared/roles';

/** The roles a domain may grant: every role but coordinator. */
export const JOIN_ROLES = ['resident', 'referent', 'sponsor', 'partner'] as const satisfies readonly Role[];

const domainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

export async function hasPendingInvitation(db: Kysely<Database>, email: string): Promise<boolean> {
	const row = await db
		.selectFrom('invitation')
		.where('email', '=', email.toLowerCase())
		.where('accepted_at', 'is', null)
		.where('revoked_at', 'is', null)
		.where('expires_at', '>', nowIso())
		.select('id')
		.executeTakeFirst();
	return Boolean(row);
}

export async function joinDomainAllows(db: Kysely<Database>, email: string): Promise<boolean> {
	const row = await db.selectFrom('lab_join_domain').where('domain', '=', domainOf(email)).select('id').executeTakeFirst();
	return Boolean(row);
}

async function isMember(trx: Kysely<Database>, labId: string, accountId: string): Promise<boolean> {
	const m = await trx.selectFrom('membership').where('lab_id', '=', labId).where('account_id', '=', accountId).select('id').executeTakeFirst();
	return Boolean(m);
}

/**
 * Accepts, inside the caller's transaction, every pending invitation for `email` on behalf of the
 * account; returns the labs joined. An invitation to a lab the account is already in is closed.
 */
export async function acceptInvitationsFor(trx: Kysely<Database>, accountId: string, email: string): Promise<string[]> {
	const pending = await trx
		.selectFrom('invitation')
		.where('email', '=', email.toLowerCase())
		.where('accepted_at', 'is', null)
		.where('revoked_at', 'is', null)
		.where('expires_at', '>', nowIso())
		.select(['id', 'lab_id', 'role'])
		.orderBy('created_at')
		.execute();
	const joined: string[] = [];
	for (const inv of pending) {
		const res = await trx
			.updateTable('invitation')
			.set({ accepted_at: nowIso() })
			.where('id', '=', inv.id)
			.where('accepted_at', 'is', null)
			.where('revoked_at', 'is', null)
			.executeTakeFirst();
		if (Number(res.numUpdatedRows) !== 1) continue;
		if (!(await isMember(trx, inv.lab_id, accountId))) {
			await addMembership(trx, { labId: inv.lab_id, accountId, role: isRole(inv.role) ? inv.role : 'partner', actorId: accountId });
			joined.push(inv.lab_id);
		}
		await recordAudit(trx, {
			labId: inv.lab_id,
			actorId: accountId,
			action: 'invitation.accept',
			subjectType: 'invitation',
			subjectId: inv.id,
			summary: { sso: true }
		});
	}
	return joined;
}

/** Adds the account, inside the caller's transaction, to every lab that lets its e-mail's domain join. */
export async function joinByDomain(trx: Kysely<Database>, accountId: string, email: string): Promise<string[]> {
	const rules = await trx.selectFrom('lab_join_domain').where('domain', '=', domainOf(email)).select(['id', 'lab_id', 'role']).execute();
	const joined: string[] = [];
	for (const rule of rules) {
		if (await isMember(trx, rule.lab_id, accountId)) continue;
		const role: Role = isRole(rule.role) && rule.role !== 'coordinator' ? rule.role : 'partner';
		await addMembership(trx, { labId: rule.lab_id, accountId, role, actorId: accountId });
		await recordAudit(trx, {
			labId: rule.lab_id,
			actorId: accountId,
			action: 'member.joinByDomain',
			subjectType: 'lab_join_domain',
			subjectId: rule.id,
			summary: { role }
		});
		joined.push(rule.lab_id);
	}
	return joined;
}

export interface JoinDomain {
	id: string;
	domain: string;
	role: Role;
	createdAt: string;
}

export async function listJoinDomains(db: Kysely<Database>, ctx: LabContext): Promise<JoinDomain[]> {
	authorize(ctx.role, 'lab.settings');
	const rows = await db
		.selectFrom('lab_join_domain')
		.where('lab_id', '=', ctx.lab.id)
		.select(['id', 'domain', 'role', 'created_at'])
		.orderBy('domain')
		.execute();
	return rows.map((r) => ({ id: r.id, domain: r.domain, role: isRole(r.role) ? r.role : 'partner', createdAt: r.created_at }));
}

const DOMAIN_RE = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Lets people whose verified e-mail ends in @domain join the lab with `role` (coordinators only). */
export async function addJoinDomain(db: Kysely<Database>, ctx: LabContext, input: { domain: string; role: string }): Promise<void> {
	authorize(ctx.role, 'lab.settings');
	const domain = input.domain.trim().toLowerCase().replace(/^@/, '');
	if (!DOMAIN_RE.test(domain)) throw new DomainError('sso.domainInvalid', 400, {}, 'domain');
	if (!(JOIN_ROLES as readonly string[]).includes(input.role)) throw new DomainError('sso.joinRoleInvalid', 400, {}, 'role');
	await inTransaction(db, async (trx) => {
		const taken = await trx.selectFrom('lab_join_domain').where('lab_id', '=', ctx.lab.id).where('domain', '=', domain).select('id').executeTakeFirst();
		if (taken) throw new DomainError('sso.domainTaken', 409, {}, 'domain');
		const id = newId();
		await trx
			.insertInto('lab_join_domain')
			.values({ id, lab_id: ctx.lab.id, domain, role: input.role, created_by: ctx.actor?.accountId ?? null, created_at: nowIso() })
			.execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'lab.addJoinDomain',
			subjectType: 'lab_join_domain',
			subjectId: id,
			summary: { domain, role: input.role }
		});
	});
}

export async function removeJoinDomain(db: Kysely<Database>, ctx: LabContext, id: string): Promise<void> {
	authorize(ctx.role, 'lab.settings');
	await inTransaction(db, async (trx) => {
		const res = await trx.deleteFrom('lab_join_domain').where('id', '=', id).where('lab_id', '=', ctx.lab.id).executeTakeFirst();
		if (Number(res.numDeletedRows) !== 1) throw new DomainError('sso.domainNotFound', 404);
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'lab.removeJoinDomain',
			subjectType: 'lab_join_domain',
			subjectId: id
		});
	});
}
