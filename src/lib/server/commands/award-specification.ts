/**
 * Awarding a specification commits money: the specification becomes "awarded" to its operator
 * and the fund's ledger gets the matching commitment on the experiment, in ONE transaction
 * under the envelope's lock. Either both happen or neither: an envelope without enough left,
 * or a specification no longer published (someone awarded it first), changes nothing.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import type { LabContext } from '../labs';
import { appendEntry, requireEnvelope, withEnvelopeLock } from '../fund';
import { linkCommitment, markAwarded, specForAward } from '../specs';

export interface Award {
	operator: string;
	amountCents: number;
	envelopeId: string;
}

/** Returns the id of the ledger commitment. */
export async function awardSpecification(db: Kysely<Database>, ctx: LabContext, specId: string, a: Award): Promise<string> {
	authorize(ctx.role, 'specs.award');
	const spec = await specForAward(db, ctx.lab.id, specId);
	if (!spec.experimentId) throw new DomainError('spec.noExperiment', 400);
	const experimentId = spec.experimentId;
	await requireEnvelope(db, ctx.lab.id, a.envelopeId);
	return withEnvelopeLock(db, a.envelopeId, async (trx) => {
		await markAwarded(trx, specId, a);
		const commitment = await appendEntry(trx, {
			labId: ctx.lab.id,
			envelopeId: a.envelopeId,
			experimentId,
			kind: 'commitment',
			amountCents: a.amountCents,
			reference: `${spec.title} — ${a.operator}`,
			category: 'prestation',
			authorId: ctx.actor?.accountId ?? null
		});
		await linkCommitment(trx, specId, commitment);
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'spec.award',
			subjectType: 'specification',
			subjectId: specId,
			summary: { operator: a.operator, amountCents: a.amountCents }
		});
		return commitment;
	});
}
