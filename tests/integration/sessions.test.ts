/**
 * Co-production sessions at the service level, on both databases: participants added once,
 * plans checked from scratch before they are saved (sizes, constraints, facilitators,
 * concurrent saves), participants' links, outputs captured as knowledge, and lab isolation.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember, uid } from '../factories';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';
import { createEvent } from '../../src/lib/server/events/events.service';
import { joinNetwork } from '../../src/lib/server/network/network.service';
import {
	issueParticipantLinks,
	addParticipants,
	addReferents,
	participantGroup,
	planGroups,
	recordOutputs,
	savePlan,
	saveSettings,
	sessionView,
	type ParticipantInput
} from '../../src/lib/server/sessions/sessions.service';
import { getKnowledge } from '../../src/lib/server/knowledge/knowledge.service';
import { DEFAULT_SETTINGS } from '../../src/lib/shared/sessions';

const person = (i: number, over: Partial<ParticipantInput> = {}): ParticipantInput => ({
	name: `Personne ${i}`,
	email: `p${i}@example.test`,
	organisation: i % 2 ? 'Région' : 'Métropole',
	actorType: i % 3 ? 'public' : 'private',
	scale: i % 2 ? 'region' : 'commune',
	directorate: '',
	extra: {},
	...over
});

describeEachDialect('co-production sessions', (getDb) => {
	let lab: LabSummary;
	let resident: LabContext;
	let eventId: string;
	const referents: string[] = [];

	beforeAll(async () => {
		lab = await makeLab(getDb());
		resident = (await makeMember(getDb(), lab, 'resident')).ctx;
		eventId = await createEvent(getDb(), resident, {
			kind: 'seminar',
			title: `Séminaire ${uid()}`,
			startsAt: '2014-01-23T08:00:00.000Z',
			endsAt: '2014-01-23T16:00:00.000Z',
			place: '',
			onlineUrl: '',
			description: '',
			agenda: '',
			minutes: '',
			participants: [],
			decisions: []
		});
		for (let i = 0; i < 2; i++) {
			const m = await makeMember(getDb(), lab, 'referent');
			referents.push(
				await joinNetwork(
					getDb(),
					m.ctx,
					{ directorate: 'DGS', service: '', territory: '13', skills: [], languages: '', daysPerMonth: 2, bio: '', unavailable: [] },
					true
				)
			);
		}
	});

	it('adds participants once: the same people again change nothing', async () => {
		const rows = Array.from({ length: 8 }, (_, i) => person(i));
		expect(await addParticipants(getDb(), resident, eventId, rows, 'manual')).toEqual({ added: 8, updated: 0, unchanged: 0 });
		expect(await addParticipants(getDb(), resident, eventId, rows, 'manual')).toEqual({ added: 0, updated: 0, unchanged: 8 });
		expect(await addParticipants(getDb(), resident, eventId, [person(0, { organisation: 'Préfecture' })], 'manual')).toEqual({
			added: 0,
			updated: 1,
			unchanged: 0
		});
		const referent = (await makeMember(getDb(), lab, 'referent')).ctx;
		await expect(addParticipants(getDb(), referent, eventId, rows, 'manual')).rejects.toMatchObject({ status: 403 });
	});

	it('checks a plan from scratch before saving it, and refuses a concurrent save', async () => {
		const db = getDb();
		await saveSettings(db, resident, eventId, { ...DEFAULT_SETTINGS, sizing: { mode: 'groups', groups: 2 }, facilitators: referents });
		const view = await sessionView(db, resident, eventId);
		const ids = view.participants.map((p) => p.id);
		const split = (f: (i: number) => number) => Object.fromEntries(ids.map((id, i) => [id, f(i)]));
		const facilitators = [
			{ groupIndex: 0, referentId: referents[0]!, role: 'lead' as const },
			{ groupIndex: 1, referentId: referents[1]!, role: 'lead' as const }
		];
		await expect(
			savePlan(db, resident, eventId, { assignment: split((i) => (i < 6 ? 0 : 1)), facilitators, source: 'manual', baseVersion: 0 })
		).rejects.toMatchObject({ code: 'session.invalid.size' });
		await expect(
			savePlan(db, resident, eventId, {
				assignment: split((i) => i % 2),
				facilitators: [{ groupIndex: 0, referentId: 'someone-else', role: 'lead' }],
				source: 'manual',
				baseVersion: 0
			})
		).rejects.toMatchObject({ code: 'session.facilitatorUnknown' });
		const first = await savePlan(db, resident, eventId, { assignment: split((i) => i % 2), facilitators, source: 'solver', baseVersion: 0 });
		expect(first.version).toBe(1);
		expect(first.score).toBeGreaterThan(0);
		// A second organiser still on version 0 is refused; nothing is written.
		await expect(
			savePlan(db, resident, eventId, { assignment: split((i) => (i + 1) % 2), facilitators, source: 'manual', baseVersion: 0 })
		).rejects.toMatchObject({ code: 'session.conflict', status: 409 });
		expect((await sessionView(db, resident, eventId)).plan!.version).toBe(1);

		// Constraints saved after the plan are enforced on the next save.
		await saveSettings(db, resident, eventId, {
			...DEFAULT_SETTINGS,
			sizing: { mode: 'groups', groups: 2 },
			facilitators: referents,
			apart: [[ids[0]!, ids[2]!]]
		});
		await expect(savePlan(db, resident, eventId, { assignment: split((i) => i % 2), facilitators, source: 'manual', baseVersion: 1 })).rejects.toMatchObject({
			code: 'session.invalid.apart'
		});
	});

	it('shows each participant their group through their link, and nothing to another lab', async () => {
		const db = getDb();
		const view = await sessionView(db, resident, eventId);
		const p = view.participants[1]!;
		const { links } = await issueParticipantLinks(db, resident, eventId, [p.id]);
		const viewToken = links[0]!.token;
		const g = await participantGroup(db, lab, viewToken);
		expect(g!.group).toBe(1);
		expect(g!.members.map((m) => m.name)).toContain(p.name);
		expect(g!.members).toHaveLength(4);
		expect(await participantGroup(db, await makeLab(db), viewToken)).toBeNull();
		const other = (await makeMember(db, await makeLab(db), 'coordinator')).ctx;
		await expect(sessionView(db, other, eventId)).rejects.toMatchObject({ status: 404 });
		const printable = await planGroups(db, resident, eventId);
		expect(printable.groups.map((x) => x.members.length)).toEqual([4, 4]);
		expect(printable.groups[0]!.facilitators[0]!.referentId).toBe(referents[0]);
	});

	it('refuses a facilitator who is also a participant', async () => {
		const db = getDb();
		await addReferents(db, resident, eventId, [referents[0]!]);
		const view = await sessionView(db, resident, eventId);
		await saveSettings(db, resident, eventId, { ...DEFAULT_SETTINGS, sizing: { mode: 'exact', sizes: [5, 4] }, facilitators: referents });
		const assignment = Object.fromEntries(view.participants.map((p, i) => [p.id, i < 5 ? 0 : 1]));
		await expect(
			savePlan(db, resident, eventId, {
				assignment,
				facilitators: [{ groupIndex: 0, referentId: referents[0]!, role: 'lead' }],
				source: 'manual',
				baseVersion: 1
			})
		).rejects.toMatchObject({ code: 'session.facilitatorIsParticipant' });
	});

	it("turns each group's output into a knowledge item from the event", async () => {
		const db = getDb();
		const n = await recordOutputs(db, resident, eventId, [
			{ groupIndex: 0, type: 'principle', title: 'Croiser les échelles territoriales', body: 'Le groupe 1 propose…' },
			{ groupIndex: 1, type: 'lesson', title: '', body: 'ignoré sans titre' }
		]);
		expect(n).toBe(1);
		const view = await sessionView(db, resident, eventId);
		expect(view.outputs.map((o) => o.title)).toEqual(['Croiser les échelles territoriales']);
		const item = await getKnowledge(db, resident, view.outputs[0]!.id);
		expect(item.source).toMatchObject({ type: 'event', id: eventId });
	});
});
