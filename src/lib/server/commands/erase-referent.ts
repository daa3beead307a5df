/**
 * Erasing a referent (the right to erasure) spans three domains: the network deletes the profile
 * and what hangs on it, the events' participant lists and the experiments' role holders keep the
 * record but name the person "Anonyme …", and the person record goes unless an account or
 * another lab's profile stands on it. ONE transaction: nothing is half-erased.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction } from '../db/util';
import { authorize } from '../policy';
import type { LabContext } from '../labs';
import { anonymiseParticipant } from '../events';
import { anonymiseRole } from '../experiments';
import { eraseReferentProfile, releaseErasedPerson } from '../network';

export async function eraseReferent(db: Kysely<Database>, ctx: LabContext, referentId: string): Promise<void> {
	authorize(ctx.role, 'network.erase');
	await inTransaction(db, async (trx) => {
		const { personId, anonymous } = await eraseReferentProfile(trx, ctx, referentId);
		await anonymiseParticipant(trx, ctx.lab.id, personId, anonymous);
		await anonymiseRole(trx, ctx.lab.id, personId, anonymous);
		await releaseErasedPerson(trx, personId);
	});
}
