/**
 * Who takes part in a working session: people typed or imported, the lab's members and the
 * network's referents added in one go, each recognised by e-mail (or name) so nobody is listed twice.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, newId, nowIso } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import { accountProfiles, hashToken, newToken } from '../auth';
import { activeReferentDetails } from '../network';
import { membersAmong } from '../members';
import type { LabContext } from '../labs';
import { isActorType, isScale, type SessionParticipant } from '$lib/shared/sessions';
import { type ParticipantInput, listParticipants, loadEvent } from './sessions.service';

function clean(p: ParticipantInput): ParticipantInput & Pick<SessionParticipant, 'actorType' | 'scale'> {
	return {
		...p,
		name: p.name.trim().slice(0, 120),
		email: p.email.trim().toLowerCase().slice(0, 254),
		organisation: p.organisation.trim().slice(0, 200),
		actorType: isActorType(p.actorType) ? p.actorType : '',
		scale: isScale(p.scale) ? p.scale : '',
		directorate: p.directorate.trim().slice(0, 200)
	};
}

/** Who a participant is for adding them again: the e-mail, or the name when there is none. */
export const participantKey = (p: { email: string; name: string }) => (p.email ? `e:${p.email.toLowerCase()}` : `n:${p.name.trim().toLowerCase()}`);

/** What adding `row` again would do, given who is there now (keyed by participantKey). */
export function participantStatus<P extends SessionParticipant>(
	row: ParticipantInput,
	byKey: Map<string, P>
): { status: 'new' | 'updated' | 'unchanged'; found: P | null } {
	const found = byKey.get(participantKey(row)) ?? null;
	if (!found) return { status: 'new', found };
	const same =
		found.name === row.name &&
		found.organisation === row.organisation &&
		found.actorType === row.actorType &&
		found.scale === row.scale &&
		found.directorate === row.directorate &&
		JSON.stringify(found.extra) === JSON.stringify(row.extra);
	return { status: same ? 'unchanged' : 'updated', found };
}

/**
 * Adds participants; someone already there (same e-mail, or same name without e-mail) is
 * updated rather than added twice, so adding the same people again changes nothing.
 */
export async function addParticipants(
	db: Kysely<Database>,
	ctx: LabContext,
	eventId: string,
	rows: ParticipantInput[],
	source: string
): Promise<{ added: number; updated: number; unchanged: number }> {
	authorize(ctx.role, 'events.edit');
	return inTransaction(db, async (trx) => {
		await loadEvent(trx, ctx.lab.id, eventId);
		const existing = await listParticipants(trx, ctx.lab.id, eventId);
		const byKey = new Map(existing.map((p) => [participantKey(p), p]));
		let position = existing.length;
		const counts = { added: 0, updated: 0, unchanged: 0 };
		for (const raw of rows) {
			const p = clean(raw);
			if (!p.name) continue;
			const { status, found } = participantStatus(p, byKey);
			const fields = {
				name: p.name,
				email: p.email,
				organisation: p.organisation,
				actor_type: p.actorType,
				scale: p.scale,
				directorate: p.directorate,
				extra: JSON.stringify(p.extra)
			};
			if (found) {
				if (status === 'unchanged') counts.unchanged++;
				else {
					await trx.updateTable('session_participant').set(fields).where('id', '=', found.id).execute();
					counts.updated++;
				}
				continue;
			}
			const id = newId();
			await trx
				.insertInto('session_participant')
				.values({
					id,
					lab_id: ctx.lab.id,
					event_id: eventId,
					person_id: p.personId ?? null,
					...fields,
					source,
					view_token_hash: hashToken(newToken()),
					view_expires_at: null,
					position: position++,
					created_at: nowIso()
				})
				.execute();
			byKey.set(participantKey(p), { id, ...p, source, linkExpiresAt: null });
			counts.added++;
		}
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'session.participants',
			subjectType: 'event',
			subjectId: eventId,
			summary: { source, ...counts }
		});
		return counts;
	});
}

/** Lab members as participants (their organisation as it is on their profile). */
export async function addMembers(db: Kysely<Database>, ctx: LabContext, eventId: string, accountIds: string[]) {
	authorize(ctx.role, 'events.edit');
	if (!accountIds.length) return { added: 0, updated: 0, unchanged: 0 };
	const rows = await accountProfiles(db, await membersAmong(db, ctx.lab.id, accountIds));
	return addParticipants(
		db,
		ctx,
		eventId,
		rows.map((r) => ({
			name: r.name,
			email: r.email,
			organisation: r.organisation ?? '',
			actorType: 'public',
			scale: 'region',
			directorate: '',
			extra: {},
			personId: r.personId
		})),
		'member'
	);
}

/** Network referents as participants (their directorate and territory scale). */
export async function addReferents(db: Kysely<Database>, ctx: LabContext, eventId: string, referentIds: string[]) {
	authorize(ctx.role, 'events.edit');
	if (!referentIds.length) return { added: 0, updated: 0, unchanged: 0 };
	const rows = await activeReferentDetails(db, ctx.lab.id, referentIds);
	return addParticipants(
		db,
		ctx,
		eventId,
		rows.map((r) => ({
			name: r.name,
			email: r.email ?? '',
			organisation: 'Région',
			actorType: 'institutional',
			scale: r.territory === 'region' ? 'region' : 'departement',
			directorate: r.directorate,
			extra: {},
			personId: r.personId
		})),
		'network'
	);
}

export async function removeParticipant(db: Kysely<Database>, ctx: LabContext, eventId: string, participantId: string): Promise<void> {
	authorize(ctx.role, 'events.edit');
	await inTransaction(db, async (trx) => {
		const r = await trx
			.deleteFrom('session_participant')
			.where('id', '=', participantId)
			.where('event_id', '=', eventId)
			.where('lab_id', '=', ctx.lab.id)
			.executeTakeFirst();
		if (!Number(r.numDeletedRows)) throw new DomainError('session.participantNotFound', 404);
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'session.removeParticipant',
			subjectType: 'event',
			subjectId: eventId,
			summary: {}
		});
	});
}
