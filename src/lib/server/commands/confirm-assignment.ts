/**
 * Confirming who facilitates an event from a network call spans two domains: the network records
 * the assignment and writes to the people picked or taken off (with a calendar invitation), and
 * the event's participants gain or lose those people with their role. ONE transaction: a refused
 * pick, or any failure, leaves both the call and the event as they were.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction } from '../db/util';
import { authorize } from '../policy';
import type { LabContext } from '../labs';
import { addParticipant, FACILITATION_ROLES, participantCount, removeParticipant } from '../events';
import { assignReferents } from '../network';
import type { AssignRole } from '$lib/shared/network';

export async function confirmAssignment(
	db: Kysely<Database>,
	ctx: LabContext,
	callId: string,
	picks: { referentId: string; role: AssignRole; pairedWith?: string | null }[],
	origin: string
): Promise<{ added: number; removed: number }> {
	authorize(ctx.role, 'network.manage');
	return inTransaction(db, async (trx) => {
		const change = await assignReferents(trx, ctx, callId, picks, origin);
		for (const personId of change.leaving) await removeParticipant(trx, change.eventId, personId, FACILITATION_ROLES);
		let position = await participantCount(trx, change.eventId);
		for (const p of change.joining) await addParticipant(trx, { labId: ctx.lab.id, eventId: change.eventId, ...p, position: position++ });
		return { added: change.added, removed: change.removed };
	});
}
