import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember } from '../factories';
import { createKnowledge, getKnowledge, listKnowledge, updateKnowledge, type KnowledgeInput } from '../../src/lib/server/knowledge/knowledge.service';
import { search } from '../../src/lib/server/search/search.service';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';

const base: KnowledgeInput = { type: 'principle', title: '', body: '', tags: [], visibility: 'lab' };

describeEachDialect('knowledge base', (getDb) => {
	let lab: LabSummary;
	let resident: LabContext;
	let partner: LabContext;
	let otherResident: LabContext;

	beforeAll(async () => {
		lab = await makeLab(getDb());
		resident = (await makeMember(getDb(), lab, 'resident')).ctx;
		partner = (await makeMember(getDb(), lab, 'partner')).ctx;
		const other = await makeLab(getDb());
		otherResident = (await makeMember(getDb(), other, 'resident')).ctx;
	});

	it('creates an item with tags, finds it by search, and keeps every version', async () => {
		const id = await createKnowledge(getDb(), resident, {
			...base,
			title: 'Fonction de coordination',
			body: 'Un **chef de projet** référent.',
			tags: ['coordination', 'gouvernance']
		});
		const v2 = await updateKnowledge(getDb(), resident, id, 1, {
			...base,
			title: 'Fonction de coordination technique',
			body: 'Un **chef de projet** référent, garant de la capitalisation.',
			tags: ['coordination']
		});
		expect(v2).toBe(2);
		const item = await getKnowledge(getDb(), resident, id);
		expect(item).toMatchObject({ title: 'Fonction de coordination technique', version: 2, tags: ['coordination'] });
		expect(item.html).toContain('<strong>chef de projet</strong>');
		expect(item.versions.map((v) => [v.version, v.title])).toEqual([
			[2, 'Fonction de coordination technique'],
			[1, 'Fonction de coordination']
		]);
		expect((await search(getDb(), resident, { q: 'capitalisation' })).hits.map((h) => h.id)).toEqual([id]);
		expect((await listKnowledge(getDb(), resident, { tag: 'gouvernance' })).total).toBe(0);
	});

	it('refuses a save based on an outdated version, and changes nothing', async () => {
		const id = await createKnowledge(getDb(), resident, { ...base, title: 'Idée A', body: 'texte' });
		await updateKnowledge(getDb(), resident, id, 1, { ...base, title: 'Idée A (revue)', body: 'texte' });
		await expect(updateKnowledge(getDb(), resident, id, 1, { ...base, title: 'Idée A (autre)', body: 'perdu ?' })).rejects.toMatchObject({
			code: 'knowledge.conflict',
			status: 409
		});
		expect((await getKnowledge(getDb(), resident, id)).title).toBe('Idée A (revue)');
	});

	it('links items written inline, with backlinks, and refuses a link to another lab', async () => {
		const target = await createKnowledge(getDb(), resident, { ...base, title: 'Principe de sobriété', body: '' });
		const src = await createKnowledge(getDb(), resident, {
			...base,
			type: 'lesson',
			title: 'Leçon du lycée',
			body: 'Voir [[principe de sobriété]] et [[Inexistant]].'
		});
		const t = await getKnowledge(getDb(), resident, target);
		expect(t.backlinks).toEqual([{ type: 'knowledge', id: src, title: 'Leçon du lycée' }]);
		const s = await getKnowledge(getDb(), resident, src);
		expect(s.html).toContain(`<a href="/l/${lab.slug}/knowledge/${target}">principe de sobriété</a>`);
		expect(s.html).toContain('et Inexistant.');

		const foreign = await createKnowledge(getDb(), otherResident, { ...base, title: 'Ailleurs', body: '' });
		await expect(createKnowledge(getDb(), resident, { ...base, title: 'Fuite', body: `[[knowledge:${foreign}]]` })).rejects.toMatchObject({
			code: 'link.otherLab',
			field: 'body'
		});
		await expect(getKnowledge(getDb(), resident, foreign)).rejects.toMatchObject({ status: 404 });
	});

	it('shows partners only what is shared with them', async () => {
		const shared = await createKnowledge(getDb(), resident, { ...base, title: 'Partagée', visibility: 'partners' });
		const internal = await createKnowledge(getDb(), resident, { ...base, title: 'Interne' });
		const list = await listKnowledge(getDb(), partner, {});
		expect(list.rows.map((r) => r.id)).toContain(shared);
		expect(list.rows.map((r) => r.id)).not.toContain(internal);
		await expect(getKnowledge(getDb(), partner, internal)).rejects.toMatchObject({ status: 404 });
		await expect(createKnowledge(getDb(), partner, { ...base, title: 'x' })).rejects.toMatchObject({ status: 403 });
	});
});

describeEachDialect('inline links across records', (getDb) => {
	it('links a knowledge item to an event and an experiment, with backlinks on both', async () => {
		const lab = await makeLab(getDb());
		const { ctx } = await makeMember(getDb(), lab, 'resident');
		const { createEvent, getEvent } = await import('../../src/lib/server/events/events.service');
		const { createExperiment, getExperiment } = await import('../../src/lib/server/experiments/experiments.service');
		const eventId = await createEvent(getDb(), ctx, {
			kind: 'meeting',
			title: 'Réunion du 6 février',
			startsAt: '2014-02-06T13:00:00.000Z',
			endsAt: '2014-02-06T15:00:00.000Z',
			place: '',
			onlineUrl: '',
			description: '',
			agenda: '',
			minutes: '',
			participants: [],
			decisions: []
		});
		const xId = await createExperiment(getDb(), ctx, {
			title: 'Lycée Claret',
			scenario: '',
			summary: '',
			sponsor: '',
			operator: '',
			partners: '',
			lineage: '',
			conclusions: ''
		});
		const k = await createKnowledge(getDb(), ctx, {
			...base,
			title: 'Commander avec une AMO',
			body: `Décidé en [[réunion du 6 février]], testé par [[experiment:${xId}]].`
		});
		const item = await getKnowledge(getDb(), ctx, k);
		expect(item.html).toContain(`href="/l/${lab.slug}/events/${eventId}"`);
		expect(item.html).toContain(`href="/l/${lab.slug}/experiments/${xId}"`);
		expect((await getEvent(getDb(), ctx, eventId)).backlinks).toEqual([{ type: 'knowledge', id: k, title: 'Commander avec une AMO' }]);
		expect((await getExperiment(getDb(), ctx, xId)).backlinks).toEqual([{ type: 'knowledge', id: k, title: 'Commander avec une AMO' }]);

		const other = await makeLab(getDb());
		const { ctx: otherCtx } = await makeMember(getDb(), other, 'resident');
		const foreign = await createExperiment(getDb(), otherCtx, {
			title: 'Ailleurs',
			scenario: '',
			summary: '',
			sponsor: '',
			operator: '',
			partners: '',
			lineage: '',
			conclusions: ''
		});
		await expect(createKnowledge(getDb(), ctx, { ...base, title: 'Fuite', body: `[[experiment:${foreign}]]` })).rejects.toMatchObject({
			code: 'link.otherLab'
		});
	});
});
