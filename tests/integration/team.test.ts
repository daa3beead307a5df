/**
 * People carried from one place to another: referents confirmed on an event's call become the
 * co-production session's facilitators, with their network level; an experiment's team is
 * picked among the lab's members and the network's referents (a typed name for outsiders).
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember, uid, answerToken } from '../factories';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';
import { createEvent } from '../../src/lib/server/events/events.service';
import { joinNetwork } from '../../src/lib/server/network/network.service';
import { answerCall, createCall, sendCall } from '../../src/lib/server/network/calls.service';
import { confirmAssignment } from '../../src/lib/server/commands/confirm-assignment';
import { saveSettings, sessionView, takeCallFacilitators } from '../../src/lib/server/sessions/sessions.service';
import { DEFAULT_SETTINGS } from '../../src/lib/shared/sessions';
import { createExperiment, getExperiment, setTeam, teamChoices } from '../../src/lib/server/experiments/experiments.service';

const DAY = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

describeEachDialect('people carried across the lab', (getDb) => {
	let lab: LabSummary;
	let coord: LabContext;
	const referents: { id: string; email: string; name: string }[] = [];

	beforeAll(async () => {
		lab = await makeLab(getDb());
		coord = (await makeMember(getDb(), lab, 'coordinator')).ctx;
		for (let i = 0; i < 3; i++) {
			const m = await makeMember(getDb(), lab, 'referent', { name: `Référente ${i} ${uid()}` });
			const id = await joinNetwork(
				getDb(),
				m.ctx,
				{ directorate: 'DGS', service: '', territory: '13', skills: [], languages: '', daysPerMonth: 4, bio: '', unavailable: [] },
				true
			);
			referents.push({ id, email: m.email, name: m.ctx.actor!.name });
		}
	});

	async function eventWithConfirmed(picks: number[]): Promise<string> {
		const db = getDb();
		const start = Date.now() + 20 * DAY;
		const eventId = await createEvent(db, coord, {
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
		const callId = await createCall(db, coord, {
			eventId,
			needed: picks.length,
			minLevel: 'observer',
			skills: [],
			deadline: iso(Date.now() + 10 * DAY),
			message: '',
			pairNovices: false
		});
		await sendCall(db, coord, callId, 'http://labo.test');
		for (const i of picks) await answerCall(db, lab, await answerToken(db, referents[i]!.email), 'yes');
		await confirmAssignment(
			db,
			coord,
			callId,
			picks.map((i) => ({ referentId: referents[i]!.id, role: 'facilitator' as const })),
			'http://labo.test'
		);
		return eventId;
	}

	it('starts a new session with the referents confirmed on the event’s call as facilitators, with their level', async () => {
		const eventId = await eventWithConfirmed([0, 1]);
		const view = await sessionView(getDb(), coord, eventId);
		expect(new Set(view.settings.facilitators)).toEqual(new Set([referents[0]!.id, referents[1]!.id]));
		expect(view.fromCall.map((c) => c.referentId).sort()).toEqual([referents[0]!.id, referents[1]!.id].sort());
		expect(view.fromCall.every((c) => c.level === 'observer' && c.role === 'facilitator')).toBe(true);
	});

	it('takes the confirmed referents back in one click when the settings were saved without them', async () => {
		const db = getDb();
		const eventId = await eventWithConfirmed([2]);
		await saveSettings(db, coord, eventId, { ...DEFAULT_SETTINGS, facilitators: [referents[0]!.id] });
		expect((await sessionView(db, coord, eventId)).settings.facilitators).toEqual([referents[0]!.id]);
		expect(await takeCallFacilitators(db, coord, eventId)).toEqual({ added: 1 });
		expect((await sessionView(db, coord, eventId)).settings.facilitators).toEqual([referents[0]!.id, referents[2]!.id]);
		expect(await takeCallFacilitators(db, coord, eventId)).toEqual({ added: 0 });
		const referent = (await makeMember(db, lab, 'referent')).ctx;
		await expect(takeCallFacilitators(db, referent, eventId)).rejects.toMatchObject({ status: 403 });
		// Another lab sees neither the event nor its call.
		const other = (await makeMember(db, await makeLab(db), 'coordinator')).ctx;
		await expect(takeCallFacilitators(db, other, eventId)).rejects.toMatchObject({ status: 404 });
	});

	it('picks an experiment’s team among the lab’s members and the network’s referents, and keeps typed names for outsiders', async () => {
		const db = getDb();
		const resident = await makeMember(db, lab, 'resident', { name: `Résidente ${uid()}` });
		const outsider = await makeMember(db, await makeLab(db), 'resident');
		const id = await createExperiment(db, resident.ctx, {
			title: `Expé ${uid()}`,
			scenario: '',
			summary: '',
			sponsor: '',
			operator: '',
			partners: '',
			lineage: '',
			conclusions: ''
		});
		const choices = await teamChoices(db, resident.ctx);
		expect(choices).toContainEqual({ personId: resident.personId, name: resident.ctx.actor!.name, kind: 'member' });
		// A referent who is also a member is offered once.
		expect(choices.filter((c) => c.name === referents[0]!.name)).toHaveLength(1);
		expect(choices.some((c) => c.personId === outsider.personId)).toBe(false);
		const referentPerson = choices.find((c) => c.name === referents[1]!.name)!.personId;
		// A network referent who is not a member of this lab (an agent with an account elsewhere).
		const agent = await makeMember(db, await makeLab(db), 'referent', { name: `Agent ${uid()}` });
		await joinNetwork(
			db,
			{ ...agent.ctx, lab },
			{ directorate: 'DGS', service: '', territory: '13', skills: [], languages: '', daysPerMonth: 1, bio: '', unavailable: [] },
			true
		);
		expect(await teamChoices(db, resident.ctx)).toContainEqual({ personId: agent.personId, name: agent.ctx.actor!.name, kind: 'referent' });
		await setTeam(db, resident.ctx, id, [
			{ responsibility: 'organisation', personName: '', personId: resident.personId, estimatedDays: 2, actualDays: 0 },
			{ responsibility: 'mobilisation', personName: 'ignored', personId: referentPerson, estimatedDays: 1, actualDays: 0 },
			{ responsibility: 'communication', personName: '', personId: agent.personId, estimatedDays: 1, actualDays: 0 },
			{ responsibility: 'amo', personName: 'Cabinet extérieur', personId: null, estimatedDays: 5, actualDays: 1 }
		]);
		const team = (await getExperiment(db, resident.ctx, id)).team;
		expect(team.find((r) => r.responsibility === 'organisation')).toMatchObject({ personId: resident.personId, personName: resident.ctx.actor!.name });
		expect(team.find((r) => r.responsibility === 'mobilisation')).toMatchObject({ personId: referentPerson, personName: referents[1]!.name });
		expect(team.find((r) => r.responsibility === 'communication')).toMatchObject({ personId: agent.personId, personName: agent.ctx.actor!.name });
		expect(team.find((r) => r.responsibility === 'amo')).toMatchObject({ personId: null, personName: 'Cabinet extérieur' });
		// Someone from another lab cannot be slipped in by id; nothing is half-saved.
		await expect(
			setTeam(db, resident.ctx, id, [
				{ responsibility: 'organisation', personName: '', personId: null, estimatedDays: 0, actualDays: 0 },
				{ responsibility: 'amo', personName: '', personId: outsider.personId, estimatedDays: 0, actualDays: 0 }
			])
		).rejects.toMatchObject({ code: 'experiment.teamPersonUnknown', status: 400 });
		expect((await getExperiment(db, resident.ctx, id)).team.find((r) => r.responsibility === 'organisation')!.personId).toBe(resident.personId);
	});
});
