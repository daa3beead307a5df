import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember } from '../factories';
import {
	addLesson,
	addMilestone,
	addPartnerAccess,
	addTest,
	createExperiment,
	getExperiment,
	listExperiments,
	moveExperiment,
	setTeam,
	setVerdict,
	testsOfKnowledge,
	type ExperimentInput
} from '../../src/lib/server/experiments/experiments.service';
import { createKnowledge } from '../../src/lib/server/knowledge/knowledge.service';
import { createEvent } from '../../src/lib/server/events/events.service';
import { search } from '../../src/lib/server/search/search.service';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';

const claret: ExperimentInput = {
	title: 'Lycée Claret',
	scenario: 'AMO + service de design',
	summary: 'Commander un service de design des politiques publiques avec les agents de la Direction des Lycées.',
	sponsor: 'Direction des Lycées',
	operator: 'Agence de design (fictive)',
	partners: 'Lycée Claret',
	lineage: '',
	conclusions: ''
};

describeEachDialect('experiments portfolio', (getDb) => {
	let lab: LabSummary;
	let resident: LabContext;
	let coordinator: LabContext;
	let partner: Awaited<ReturnType<typeof makeMember>>;
	let other: LabContext;

	beforeAll(async () => {
		lab = await makeLab(getDb());
		resident = (await makeMember(getDb(), lab, 'resident')).ctx;
		coordinator = (await makeMember(getDb(), lab, 'coordinator')).ctx;
		partner = await makeMember(getDb(), lab, 'partner');
		other = (await makeMember(getDb(), await makeLab(getDb()), 'coordinator')).ctx;
	});

	const to = async (id: string, path: ('framing' | 'commissioning' | 'running' | 'evaluation')[]) => {
		let from = 'idea' as const as 'idea' | 'framing' | 'commissioning' | 'running' | 'evaluation';
		for (const s of path) {
			await moveExperiment(getDb(), resident, id, from, s);
			from = s;
		}
	};

	it('moves one step at a time and keeps the date of each change', async () => {
		const id = await createExperiment(getDb(), resident, claret);
		await expect(moveExperiment(getDb(), resident, id, 'idea', 'running')).rejects.toMatchObject({ code: 'experiment.badMove', status: 400 });
		await to(id, ['framing', 'commissioning']);
		await expect(moveExperiment(getDb(), resident, id, 'framing', 'commissioning')).rejects.toMatchObject({ code: 'experiment.statusChanged', status: 409 });
		await moveExperiment(getDb(), resident, id, 'commissioning', 'framing');
		const x = await getExperiment(getDb(), resident, id);
		expect(x.status).toBe('framing');
		expect(x.history.map((h) => h.to)).toEqual(['idea', 'framing', 'commissioning', 'framing']);
		expect((await search(getDb(), resident, { q: 'claret', status: 'framing' })).hits.map((h) => h.id)).toEqual([id]);
	});

	it('records verdicts only from evaluation on, and traces them back on the principle', async () => {
		const principle = await createKnowledge(getDb(), resident, { type: 'principle', title: 'Associer les agents', body: '', tags: [], visibility: 'lab' });
		const id = await createExperiment(getDb(), resident, { ...claret, title: 'Mon avenir Num’ERIC' });
		await addTest(getDb(), resident, id, principle);
		await expect(addTest(getDb(), resident, id, principle)).rejects.toMatchObject({ code: 'experiment.alreadyTested' });
		const testId = (await getExperiment(getDb(), resident, id)).tests[0]!.id;
		await expect(setVerdict(getDb(), resident, testId, { verdict: 'confirmed', evidence: 'x' })).rejects.toMatchObject({ code: 'experiment.verdictTooEarly' });
		await to(id, ['framing', 'commissioning', 'running', 'evaluation']);
		await setVerdict(getDb(), resident, testId, { verdict: 'confirmed', evidence: 'Les agents ont co-construit le dispositif.' });
		const lesson = await addLesson(getDb(), resident, id, { title: 'Une coordination est nécessaire', body: '' });
		const x = await getExperiment(getDb(), resident, id);
		expect(x.tests[0]).toMatchObject({ verdict: 'confirmed', title: 'Associer les agents' });
		expect(x.lessons).toEqual([{ id: lesson, title: 'Une coordination est nécessaire' }]);
		expect(await testsOfKnowledge(getDb(), resident, principle)).toEqual([
			{ experimentId: id, title: 'Mon avenir Num’ERIC', status: 'evaluation', verdict: 'confirmed', evidence: 'Les agents ont co-construit le dispositif.' }
		]);
	});

	it('keeps the team, workload and milestones', async () => {
		const id = await createExperiment(getDb(), resident, claret);
		await setTeam(getDb(), resident, id, [
			{ responsibility: 'organisation', personName: 'Camille', estimatedDays: 12, actualDays: 14.5 },
			{ responsibility: 'capitalisation', personName: 'Yanis', estimatedDays: 6, actualDays: 3 }
		]);
		await addMilestone(getDb(), resident, id, { title: 'Lancement', dueOn: '2013-10-01' });
		const x = await getExperiment(getDb(), resident, id);
		expect(x.team.map((r) => [r.responsibility, r.personName, r.estimatedDays, r.actualDays])).toEqual([
			['organisation', 'Camille', 12, 14.5],
			['communication', '', 0, 0],
			['capitalisation', 'Yanis', 6, 3],
			['mobilisation', '', 0, 0],
			['amo', '', 0, 0]
		]);
		expect(x.milestones).toEqual([expect.objectContaining({ title: 'Lancement', dueOn: '2013-10-01', state: 'planned' })]);
	});

	it('shows partners only the experiments they are part of', async () => {
		const mine = await createExperiment(getDb(), resident, { ...claret, title: 'Avec le partenaire' });
		const notMine = await createExperiment(getDb(), resident, { ...claret, title: 'Sans le partenaire' });
		await expect(addPartnerAccess(getDb(), resident, mine, partner.accountId)).rejects.toMatchObject({ status: 403 });
		await addPartnerAccess(getDb(), coordinator, mine, partner.accountId);
		expect((await listExperiments(getDb(), partner.ctx)).map((x) => x.title)).toEqual(['Avec le partenaire']);
		await expect(getExperiment(getDb(), partner.ctx, notMine)).rejects.toMatchObject({ status: 404 });
		await expect(moveExperiment(getDb(), partner.ctx, mine, 'idea', 'framing')).rejects.toMatchObject({ status: 403 });
	});

	it('refuses a lineage or a tested item from another lab', async () => {
		const foreignEvent = await createEvent(getDb(), other, {
			kind: 'workshop',
			title: 'Ailleurs',
			startsAt: '2013-01-01T09:00:00.000Z',
			endsAt: '2013-01-01T10:00:00.000Z',
			place: '',
			onlineUrl: '',
			description: '',
			agenda: '',
			minutes: '',
			participants: [],
			decisions: []
		});
		await expect(createExperiment(getDb(), resident, { ...claret, lineage: `event:${foreignEvent}` })).rejects.toMatchObject({
			code: 'link.otherLab',
			field: 'lineage'
		});
		const foreignItem = await createKnowledge(getDb(), other, { type: 'principle', title: 'x', body: '', tags: [], visibility: 'lab' });
		const id = await createExperiment(getDb(), resident, claret);
		await expect(addTest(getDb(), resident, id, foreignItem)).rejects.toMatchObject({ code: 'link.otherLab' });
		await expect(getExperiment(getDb(), other, id)).rejects.toMatchObject({ status: 404 });
	});
});
