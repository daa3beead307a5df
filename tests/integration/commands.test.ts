import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember, answerToken } from '../factories';
import { advanceSpec, draftFromModel, createSpec, getSpec } from '../../src/lib/server/specs/specs.service';
import { awardSpecification } from '../../src/lib/server/commands/award-specification';
import { createExperiment } from '../../src/lib/server/experiments/experiments.service';
import { addEnvelope, advanceRequest, balanceOf, createFund, createRequest, decideRequest } from '../../src/lib/server/fund/fund.service';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';
import { uid } from '../factories';
import { createEvent, getEvent } from '../../src/lib/server/events/events.service';
import { joinNetwork } from '../../src/lib/server/network/network.service';
import { getProfile } from '../../src/lib/server/network/directory';
import { answerCall, createCall, getCall, sendCall } from '../../src/lib/server/network/calls.service';
import { confirmAssignment } from '../../src/lib/server/commands/confirm-assignment';
import { eraseReferent } from '../../src/lib/server/commands/erase-referent';

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

const DAY = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

describeEachDialect('confirmAssignment and eraseReferent (network × events × experiments)', (getDb) => {
	let lab: LabSummary;
	let coord: LabContext;
	const referents: { id: string; email: string; name: string }[] = [];
	let eventId: string;
	let callId: string;

	beforeAll(async () => {
		const db = getDb();
		lab = await makeLab(db);
		coord = (await makeMember(db, lab, 'coordinator')).ctx;
		for (let i = 0; i < 3; i++) {
			const m = await makeMember(db, lab, 'referent', { name: `Référente ${i} ${uid()}` });
			const id = await joinNetwork(
				db,
				m.ctx,
				{ directorate: 'DGS', service: '', territory: '13', skills: [], languages: '', daysPerMonth: 4, bio: '', unavailable: [] },
				true
			);
			referents.push({ id, email: m.email, name: m.ctx.actor!.name });
		}
		const start = Date.now() + 20 * DAY;
		eventId = await createEvent(db, coord, {
			kind: 'seminar',
			title: `Séminaire ${uid()}`,
			startsAt: iso(start),
			endsAt: iso(start + 3 * 60 * 60 * 1000),
			place: '',
			onlineUrl: '',
			description: '',
			agenda: '',
			minutes: '',
			participants: [],
			decisions: []
		});
		callId = await createCall(db, coord, {
			eventId,
			needed: 2,
			minLevel: 'observer',
			skills: [],
			deadline: iso(Date.now() + 10 * DAY),
			message: '',
			pairNovices: false
		});
		await sendCall(db, coord, callId, 'http://labo.test');
		// Referents 0 and 1 say yes; referent 2 does not answer.
		for (const i of [0, 1]) await answerCall(db, lab, await answerToken(db, referents[i]!.email), 'yes');
	});

	const facilitators = async () =>
		(await getEvent(getDb(), coord, eventId)).participantList
			.filter((p) => p.role === 'facilitator')
			.map((p) => p.name)
			.sort();
	const assigned = async () => (await getCall(getDb(), coord, callId)).answers.filter((a) => a.assigned).map((a) => a.referentId);

	it('moves the call and the event together, and a refused pick changes neither', async () => {
		const db = getDb();
		const pick = (i: number) => ({ referentId: referents[i]!.id, role: 'facilitator' as const });
		expect(await confirmAssignment(db, coord, callId, [pick(0), pick(1)], 'http://labo.test')).toEqual({ added: 2, removed: 0 });
		expect(await facilitators()).toEqual([referents[0]!.name, referents[1]!.name].sort());
		expect((await assigned()).sort()).toEqual([referents[0]!.id, referents[1]!.id].sort());
		// Referent 2 never said yes: the whole confirmation is refused, nothing moves.
		await expect(confirmAssignment(db, coord, callId, [pick(0), pick(2)], 'http://labo.test')).rejects.toMatchObject({ code: 'network.pickNotWilling' });
		expect(await facilitators()).toEqual([referents[0]!.name, referents[1]!.name].sort());
		// Taking referent 1 off removes them from the event too.
		expect(await confirmAssignment(db, coord, callId, [pick(0)], 'http://labo.test')).toEqual({ added: 0, removed: 1 });
		expect(await facilitators()).toEqual([referents[0]!.name]);
		expect(await assigned()).toEqual([referents[0]!.id]);
	});

	it('erases a referent from the network and names them "Anonyme" in the event, or refuses and changes nothing', async () => {
		const db = getDb();
		const other = (await makeMember(db, await makeLab(db), 'coordinator')).ctx;
		await expect(eraseReferent(db, other, referents[0]!.id)).rejects.toMatchObject({ status: 404 });
		expect(await facilitators()).toEqual([referents[0]!.name]);
		await eraseReferent(db, coord, referents[0]!.id);
		expect(await facilitators()).toEqual([`Anonyme ${referents[0]!.id.slice(0, 8)}`]);
		await expect(getProfile(db, lab.id, referents[0]!.id)).rejects.toMatchObject({ status: 404 });
	});
});
