/**
 * Writes to `membership` that other domains start (the command line, the installation's
 * appointments, the demo): each takes the caller's transaction, so the caller's own rows and
 * these commit together.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { newId, nowIso } from '../db/util';
import { DomainError } from '../errors';
import { recordAudit } from '../audit';
import { bumpContentVersion } from '../publiccache';
import type { Role } from '$lib/shared/roles';

/** Adds an existing account to a lab with a role (CLI, invitation acceptance, appointments); audited. */
export async function addMembership(db: Kysely<Database>, input: { labId: string; accountId: string; role: Role; actorId: string | null }): Promise<string> {
	const existing = await db
		.selectFrom('membership')
		.where('lab_id', '=', input.labId)
		.where('account_id', '=', input.accountId)
		.select('id')
		.executeTakeFirst();
	if (existing) throw new DomainError('members.alreadyMember', 409, {}, 'email');
	const id = newId();
	const now = nowIso();
	await db
		.insertInto('membership')
		.values({ id, lab_id: input.labId, account_id: input.accountId, role: input.role, created_at: now, updated_at: now })
		.execute();
	await recordAudit(db, {
		labId: input.labId,
		actorId: input.actorId,
		action: 'member.add',
		subjectType: 'membership',
		subjectId: id,
		summary: { role: input.role }
	});
	// A member's comments carry a badge on the public site.
	await bumpContentVersion(db, input.labId);
	return id;
}

/** Sets a membership's role (the caller checks the rules and records the audit line). */
export async function setMembershipRole(trx: Kysely<Database>, membershipId: string, role: Role): Promise<void> {
	await trx.updateTable('membership').set({ role, updated_at: nowIso() }).where('id', '=', membershipId).execute();
}
