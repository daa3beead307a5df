import { beforeAll, expect, it } from 'vitest';
import JSZip from 'jszip';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember } from '../factories';
import { advanceSpec, createSpec, diffSpec, draftFromModel, getSpec, updateSpec } from '../../src/lib/server/specs/specs.service';
import { awardSpecification } from '../../src/lib/server/commands/award-specification';
import { specToDocx, specToMarkdown } from '../../src/lib/server/specs/export';
import { createExperiment } from '../../src/lib/server/experiments/experiments.service';
import { addEnvelope, advanceRequest, balanceOf, createFund, createRequest, decideRequest } from '../../src/lib/server/fund/fund.service';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';

const template = [
	{ key: 'context', title: 'Contexte', body: 'Le labo conduit « {{titre}} » ({{scénario}}) pour {{commanditaire}}.' },
	{ key: 'objectives', title: 'Objectifs', body: '- associer les agents\n- produire un prototype' },
	{ key: 'budget', title: 'Budget', body: 'Enveloppe disponible : {{budget}}.' }
];

describeEachDialect('commissioning', (getDb) => {
	let lab: LabSummary;
	let coord: LabContext;
	let resident: LabContext;
	beforeAll(async () => {
		lab = await makeLab(getDb());
		coord = (await makeMember(getDb(), lab, 'coordinator')).ctx;
		resident = (await makeMember(getDb(), lab, 'resident')).ctx;
	});

	it('drafts a specification from a template, filled from the experiment and its funding', async () => {
		const xId = await createExperiment(getDb(), resident, {
			title: 'Lycée Claret',
			scenario: 'AMO + design',
			summary: '',
			sponsor: 'Direction des Lycées',
			operator: '',
			partners: '',
			lineage: '',
			conclusions: ''
		});
		const fund = await createFund(getDb(), coord, { name: 'Fondex', deciders: 'coordinator' });
		const env = await addEnvelope(getDb(), coord, fund, { year: 2014, amountCents: 100_000_00 });
		const req = await createRequest(getDb(), resident, {
			envelopeId: env,
			experimentId: xId,
			title: 'AMO',
			justification: '',
			lines: [{ label: 'AMO', category: 'prestation', amountCents: 25_000_00 }]
		});
		await advanceRequest(getDb(), resident, req, 'submitted');
		await decideRequest(getDb(), coord, req, { approve: true, reason: 'ok' });
		const tpl = await createSpec(getDb(), resident, 'template', { title: 'Modèle AMO + design', sections: template });
		const specId = await draftFromModel(getDb(), resident, tpl, xId);
		const spec = await getSpec(getDb(), resident, specId);
		expect(spec.sections[0]!.body).toBe('Le labo conduit « Lycée Claret » (AMO + design) pour Direction des Lycées.');
		expect(spec.sections[2]!.body).toBe('Enveloppe disponible : 25\u202f000,00\u00a0€.');

		// Versions, conflict, diff.
		await updateSpec(getDb(), resident, specId, 1, {
			title: spec.title,
			experimentId: xId,
			sections: spec.sections.map((s) => (s.key === 'objectives' ? { ...s, body: '- associer les agents\n- tester trois mois' } : s))
		});
		await expect(updateSpec(getDb(), coord, specId, 1, { title: 'autre', experimentId: xId, sections: [] })).rejects.toMatchObject({
			code: 'spec.conflict',
			status: 409
		});
		const diff = await diffSpec(getDb(), resident, specId, 1, 2);
		expect(diff.find((d) => d.title === 'Objectifs')!.lines).toEqual([
			{ op: 'same', text: '- associer les agents' },
			{ op: 'removed', text: '- produire un prototype' },
			{ op: 'added', text: '- tester trois mois' }
		]);

		// Published, then awarded: the amount becomes a commitment in the fund.
		await expect(awardSpecification(getDb(), coord, specId, { operator: 'Agence', amountCents: 20_000_00, envelopeId: env })).rejects.toMatchObject({
			code: 'spec.badTransition'
		});
		await advanceSpec(getDb(), resident, specId, 'draft');
		await advanceSpec(getDb(), resident, specId, 'under_review');
		await expect(awardSpecification(getDb(), coord, specId, { operator: 'Agence', amountCents: 30_000_00, envelopeId: env })).rejects.toMatchObject({
			code: 'fund.allocationExceeded'
		});
		expect((await getSpec(getDb(), coord, specId)).state).toBe('published');
		await awardSpecification(getDb(), coord, specId, { operator: 'Agence de design (fictive)', amountCents: 20_000_00, envelopeId: env });
		expect(await balanceOf(getDb(), coord, env)).toMatchObject({ committed: 20_000_00 });
		const awarded = await getSpec(getDb(), coord, specId);
		expect(awarded).toMatchObject({ state: 'awarded', operator: 'Agence de design (fictive)', awardedCents: 20_000_00 });

		// Exports.
		const md = specToMarkdown(awarded, lab.name);
		expect(md).toContain('## 2. Objectifs');
		const docx = await specToDocx(awarded, lab.name);
		const zip = await JSZip.loadAsync(docx);
		const xml = await zip.file('word/document.xml')!.async('string');
		expect(xml).toContain('Lycée Claret');
		expect(xml).toContain('tester trois mois');
	});

	it('keeps specifications inside their lab', async () => {
		const other = (await makeMember(getDb(), await makeLab(getDb()), 'coordinator')).ctx;
		const id = await createSpec(getDb(), resident, 'reference', { title: 'Grand Lyon', sections: [], source: 'Direction de la prospective', rating: 5 });
		await expect(getSpec(getDb(), other, id)).rejects.toMatchObject({ status: 404 });
		await expect(updateSpec(getDb(), other, id, 1, { title: 'x', sections: [] })).rejects.toMatchObject({ status: 404 });
	});
});
