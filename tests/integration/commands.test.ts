import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember } from '../factories';
import { advanceSpec, draftFromModel, createSpec, getSpec } from '../../src/lib/server/specs/specs.service';
import { awardSpecification } from '../../src/lib/server/commands/award-specification';
import { createExperiment } from '../../src/lib/server/experiments/experiments.service';
import { addEnvelope, advanceRequest, balanceOf, createFund, createRequest, decideRequest } from '../../src/lib/server/fund/fund.service';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';

// Commands: operations that span domains, each one transaction.
describeEachDialect('awardSpecification (specifications × fund)', (getDb) => {
	let lab: LabSummary;
	let coord: LabContext;
	let resident: LabContext;
	let envelopeId: string;
	let experimentId: string;
	beforeAll(async () => {
		lab = await makeLab(getDb());
		coord = (await makeMember(getDb(), lab, 'coordinator')).ctx;
		resident = (await makeMember(getDb(), lab, 'resident')).ctx;
		experimentId = await createExperiment(getDb(), resident, {
			title: 'Guichet unique',
			scenario: '',
			summary: '',
			sponsor: '',
			operator: '',
			partners: '',
			lineage: '',
			conclusions: ''
		});
		const fund = await createFund(getDb(), coord, { name: 'Fonds', deciders: 'coordinator' });
		envelopeId = await addEnvelope(getDb(), coord, fund, { year: 2026, amountCents: 50_000_00 });
		const req = await createRequest(getDb(), resident, {
			envelopeId,
			experimentId,
			title: 'AMO',
			justification: '',
			lines: [{ label: 'AMO', category: 'prestation', amountCents: 30_000_00 }]
		});
		await advanceRequest(getDb(), resident, req, 'submitted');
		await decideRequest(getDb(), coord, req, { approve: true, reason: 'ok' });
	});

	async function publishedSpec(title: string): Promise<string> {
		const tpl = await createSpec(getDb(), resident, 'template', { title: `Modèle ${title}`, sections: [] });
		const id = await draftFromModel(getDb(), resident, tpl, experimentId);
		// advanceSpec moves a specification on from the state it names.
		await advanceSpec(getDb(), resident, id, 'draft');
		await advanceSpec(getDb(), resident, id, 'under_review');
		return id;
	}

	it('two awards at once: one passes, the other is refused, and the ledger holds one commitment', async () => {
		const id = await publishedSpec('concurrent');
		const before = (await balanceOf(getDb(), coord, envelopeId)).committed;
		const results = await Promise.allSettled([
			awardSpecification(getDb(), coord, id, { operator: 'Agence A', amountCents: 10_000_00, envelopeId }),
			awardSpecification(getDb(), coord, id, { operator: 'Agence B', amountCents: 10_000_00, envelopeId })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'spec.badTransition', status: 409 } });
		expect((await balanceOf(getDb(), coord, envelopeId)).committed - before).toBe(10_000_00);
		const spec = await getSpec(getDb(), coord, id);
		expect(spec.state).toBe('awarded');
		expect(['Agence A', 'Agence B']).toContain(spec.operator);
	});

	it('changes nothing when the fund refuses, or when the envelope belongs to another lab', async () => {
		const id = await publishedSpec('refused');
		const before = await balanceOf(getDb(), coord, envelopeId);
		// More than the experiment was granted: the ledger refuses, the specification stays published.
		await expect(awardSpecification(getDb(), coord, id, { operator: 'Agence', amountCents: 40_000_00, envelopeId })).rejects.toMatchObject({
			code: 'fund.allocationExceeded'
		});
		const otherCoord = (await makeMember(getDb(), await makeLab(getDb()), 'coordinator')).ctx;
		const otherFund = await createFund(getDb(), otherCoord, { name: 'Autre', deciders: 'coordinator' });
		const otherEnvelope = await addEnvelope(getDb(), otherCoord, otherFund, { year: 2026, amountCents: 1_000_00 });
		await expect(awardSpecification(getDb(), coord, id, { operator: 'Agence', amountCents: 100_00, envelopeId: otherEnvelope })).rejects.toMatchObject({
			code: 'fund.notFound',
			status: 404
		});
		expect((await getSpec(getDb(), coord, id)).state).toBe('published');
		expect(await balanceOf(getDb(), coord, envelopeId)).toEqual(before);
		// A resident cannot award.
		await expect(awardSpecification(getDb(), resident, id, { operator: 'Agence', amountCents: 100_00, envelopeId })).rejects.toMatchObject({ status: 403 });
	});
});
