/**
 * The read functions a domain offers others in place of naming its tables (titles, summaries,
 * team and membership checks, granted budget, attachments): each answers for its own lab's
 * records and no more.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeAccount, makeLab, makeMember, uid } from '../factories';
import { addPartnerAccess, createExperiment, setTeam } from '../../src/lib/server/experiments/experiments.service';
import {
	experimentOptions,
	experimentsByTitle,
	experimentTitle,
	experimentTitles,
	isTeamMember,
	roleHolder,
	summaryOf
} from '../../src/lib/server/experiments';
import { createEvent, type EventInput } from '../../src/lib/server/events/events.service';
import { eventOptions, eventsByTitle, eventTitles } from '../../src/lib/server/events';
import { createKnowledge } from '../../src/lib/server/knowledge/knowledge.service';
import { itemsOfSource, knowledgeByTitle, knowledgeTitle, knowledgeTitles, knowledgeType } from '../../src/lib/server/knowledge';
import { roleOf } from '../../src/lib/server/members';
import { createPost, changeState, type PostInput } from '../../src/lib/server/journal/posts.service';
import { postsByEpisode, postsByTitle, postTitles } from '../../src/lib/server/journal';
import { addEnvelope, advanceRequest, createFund, createRequest, decideRequest, recordEntry } from '../../src/lib/server/fund/fund.service';
import { grantedForExperiment } from '../../src/lib/server/fund';
import { attachFile } from '../../src/lib/server/files/files.service';
import { attachmentsOf } from '../../src/lib/server/files';
import type { LabContext, LabSummary } from '../../src/lib/server/labs';

const experiment = (title: string) => ({
	title,
	scenario: 'Scénario',
	summary: '',
	sponsor: 'Région',
	operator: '',
	partners: '',
	lineage: '',
	conclusions: ''
});
const event = (title: string, startsAt: string): EventInput => ({
	kind: 'workshop',
	title,
	startsAt,
	endsAt: startsAt.replace('T09', 'T12'),
	place: 'Lyon',
	onlineUrl: '',
	description: '',
	agenda: '',
	minutes: '',
	participants: [],
	decisions: []
});
const post = (over: Partial<PostInput>): PostInput => ({
	kind: 'post',
	title: `Billet ${uid()}`,
	slug: '',
	series: '',
	episode: '',
	excerpt: '',
	body: 'Texte',
	tags: [],
	authorPersonIds: [],
	byLab: true,
	coverFileId: null,
	commentsOpen: true,
	...over
});

describeEachDialect('owner reads', (getDb) => {
	let lab: LabSummary;
	let other: LabSummary;
	let coord: LabContext;
	let otherCoord: LabContext;
	beforeAll(async () => {
		lab = await makeLab(getDb());
		other = await makeLab(getDb());
		coord = (await makeMember(getDb(), lab, 'coordinator')).ctx;
		otherCoord = (await makeMember(getDb(), other, 'coordinator')).ctx;
	});

	describe('experiments', () => {
		it('gives titles by id (any lab, scoped for a viewer), by title, as options and as a subquery', async () => {
			const a = await createExperiment(getDb(), coord, experiment('Cantine bio'));
			const b = await createExperiment(getDb(), coord, experiment('Accueil en mairie'));
			const elsewhere = await createExperiment(getDb(), otherCoord, experiment('Cantine bio'));
			const rows = await experimentTitles(getDb(), [a, elsewhere, a, 'missing']);
			expect(rows.map((r) => [r.id, r.lab_id]).sort()).toEqual(
				[
					[a, lab.id],
					[elsewhere, other.id]
				].sort()
			);

			const partner = await makeMember(getDb(), lab, 'partner');
			await addPartnerAccess(getDb(), coord, b, partner.accountId);
			expect((await experimentTitles(getDb(), [a, b], partner.ctx)).map((r) => r.id)).toEqual([b]);
			expect((await experimentTitles(getDb(), [a, b], coord)).length).toBe(2);

			expect((await experimentsByTitle(getDb(), lab.id, ['cantine bio'])).map((r) => r.id)).toEqual([a]);
			expect((await experimentOptions(getDb(), lab.id)).map((r) => r.title)).toEqual(['Accueil en mairie', 'Cantine bio']);
			expect(await experimentOptions(getDb(), lab.id, 1)).toEqual([{ id: b, title: 'Accueil en mairie' }]);

			const sub = await getDb()
				.selectNoFrom((eb) => experimentTitle(eb.val(a)).as('t'))
				.executeTakeFirstOrThrow();
			expect(sub.t).toBe('Cantine bio');
		});

		it("summarises one of the lab's experiments, its team members and who holds a responsibility", async () => {
			const id = await createExperiment(getDb(), coord, experiment('Jardins partagés'));
			expect(await summaryOf(getDb(), lab.id, id)).toMatchObject({ id, title: 'Jardins partagés', scenario: 'Scénario', sponsor: 'Région', status: 'idea' });
			expect(await summaryOf(getDb(), other.id, id)).toBeUndefined();

			const sponsor = await makeMember(getDb(), lab, 'sponsor');
			expect(await isTeamMember(getDb(), id, sponsor.accountId)).toBe(false);
			await addPartnerAccess(getDb(), coord, id, sponsor.accountId);
			expect(await isTeamMember(getDb(), id, sponsor.accountId)).toBe(true);

			expect(await roleHolder(getDb(), id, 'amo')).toBe('');
			await setTeam(getDb(), coord, id, [{ responsibility: 'amo', personName: 'Bureau AMO', estimatedDays: 2, actualDays: 0 }]);
			expect(await roleHolder(getDb(), id, 'amo')).toBe('Bureau AMO');
			expect(await roleHolder(getDb(), 'missing', 'amo')).toBeNull();
		});
	});

	it('events: titles by id (any lab), by title, latest first for pickers', async () => {
		const title = `Atelier ${uid()}`;
		const early = await createEvent(getDb(), coord, event(title, '2031-03-01T09:00:00.000Z'));
		const late = await createEvent(getDb(), coord, event(`Forum ${uid()}`, '2031-04-01T09:00:00.000Z'));
		const elsewhere = await createEvent(getDb(), otherCoord, event(title, '2031-03-01T09:00:00.000Z'));
		expect((await eventTitles(getDb(), [early, elsewhere])).map((r) => r.lab_id).sort()).toEqual([lab.id, other.id].sort());
		expect((await eventsByTitle(getDb(), lab.id, [title.toLowerCase()])).map((r) => r.id)).toEqual([early]);
		const options = await eventOptions(getDb(), lab.id, 2);
		expect(options.map((o) => o.id)).toEqual([late, early]);
	});

	it('knowledge: titles by id with a visibility filter, by title, by source, and as subqueries', async () => {
		const base = { type: 'principle' as const, body: '', tags: [] };
		const open = await createKnowledge(getDb(), coord, { ...base, title: 'Principe ouvert', visibility: 'public' });
		const inner = await createKnowledge(getDb(), coord, { ...base, title: 'Principe interne', visibility: 'lab' });
		expect((await knowledgeTitles(getDb(), [open, inner])).length).toBe(2);
		expect((await knowledgeTitles(getDb(), [open, inner], ['partners', 'public'])).map((r) => r.id)).toEqual([open]);
		expect((await knowledgeByTitle(getDb(), lab.id, ['principe interne'])).map((r) => r.id)).toEqual([inner]);
		expect(await knowledgeByTitle(getDb(), other.id, ['principe interne'])).toEqual([]);

		const x = await createExperiment(getDb(), coord, experiment('Source'));
		const lesson = await createKnowledge(getDb(), coord, { ...base, type: 'lesson', title: 'Leçon', visibility: 'lab', sourceType: 'experiment', sourceId: x });
		expect(await itemsOfSource(getDb(), lab.id, { type: 'experiment', id: x })).toEqual([{ id: lesson, title: 'Leçon' }]);
		expect(await itemsOfSource(getDb(), other.id, { type: 'experiment', id: x })).toEqual([]);

		const row = await getDb()
			.selectNoFrom((eb) => [knowledgeTitle(eb.val(lesson)).as('title'), knowledgeType(eb.val(lesson)).as('type')])
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ title: 'Leçon', type: 'lesson' });
	});

	it('members: the role of an account in a lab, null for a stranger', async () => {
		const resident = await makeMember(getDb(), lab, 'resident');
		expect(await roleOf(getDb(), lab.id, resident.accountId)).toBe('resident');
		expect(await roleOf(getDb(), other.id, resident.accountId)).toBeNull();
		expect(await roleOf(getDb(), lab.id, (await makeAccount(getDb())).accountId)).toBeNull();
	});

	it('journal: post titles by id (published only on demand), by title and by episode', async () => {
		const series = `Semaine ${uid()}`;
		const draft = await createPost(getDb(), coord, post({ title: 'Brouillon du jour' }));
		const published = await createPost(getDb(), coord, post({ series, episode: '7.2' }));
		await changeState(getDb(), coord, published, { to: 'published' });
		expect((await postTitles(getDb(), [draft, published])).length).toBe(2);
		expect((await postTitles(getDb(), [draft, published], { publishedOnly: true })).map((r) => r.id)).toEqual([published]);
		expect((await postsByTitle(getDb(), lab.id, ['brouillon du jour'])).map((r) => r.id)).toEqual([draft]);
		expect(await postsByEpisode(getDb(), lab.id, ['7.2'])).toEqual([expect.objectContaining({ id: published, series, episode: '7.2' })]);
		expect(await postsByEpisode(getDb(), other.id, ['7.2'])).toEqual([]);
	});

	it("fund: what an experiment was granted, net of releases; files: a record's attachments in its lab", async () => {
		const x = await createExperiment(getDb(), coord, experiment('Financée'));
		expect(await grantedForExperiment(getDb(), x)).toBe(0);
		const fund = await createFund(getDb(), coord, { name: `Fonds ${uid()}`, deciders: 'coordinator' });
		const env = await addEnvelope(getDb(), coord, fund, { year: 2031, amountCents: 50_000_00 });
		const req = await createRequest(getDb(), coord, {
			envelopeId: env,
			experimentId: x,
			title: 'Étude',
			justification: '',
			lines: [{ label: 'Étude', category: 'prestation', amountCents: 12_000_00 }]
		});
		await advanceRequest(getDb(), coord, req, 'submitted');
		await decideRequest(getDb(), coord, req, { approve: true, reason: 'ok' });
		expect(await grantedForExperiment(getDb(), x)).toBe(12_000_00);
		await recordEntry(getDb(), coord, { kind: 'release', envelopeId: env, experimentId: x, amountCents: 2_000_00, reference: 'Reliquat' });
		expect(await grantedForExperiment(getDb(), x)).toBe(10_000_00);

		const eventId = await createEvent(getDb(), coord, event(`Avec pièce ${uid()}`, '2031-05-01T09:00:00.000Z'));
		const fileId = await attachFile(getDb(), coord, { type: 'event', id: eventId }, { name: 'notes.txt', bytes: Buffer.from('Compte rendu') });
		expect(await attachmentsOf(getDb(), lab.id, { type: 'event', id: eventId })).toEqual([
			{ id: fileId, name: 'notes.txt', mime: 'text/plain; charset=utf-8', size: 12 }
		]);
		expect(await attachmentsOf(getDb(), other.id, { type: 'event', id: eventId })).toEqual([]);
		expect(await attachmentsOf(getDb(), lab.id, { type: 'funding_request', id: eventId })).toEqual([]);
	});
});
