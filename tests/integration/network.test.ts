/**
 * The referent network end to end at the service level, on both databases: consent, the
 * ladder derived from events, the directory, calls with one-time answer links, the fair
 * proposal, confirmations with a calendar invitation, reminders, withdrawal and erasure.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember, uid, answerToken } from '../factories';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';
import { cancelEvent, createEvent, reinstateEvent, type EventInput } from '../../src/lib/server/events/events.service';
import { joinNetwork, listSkills, requestErasure, saveSkills, updateProfile, withdraw, type ProfileInput } from '../../src/lib/server/network/network.service';
import { eraseReferent } from '../../src/lib/server/commands/erase-referent';
import { exportReferentData, getProfile, listDirectory, viewReferent } from '../../src/lib/server/network/directory';
import { referentByLink, issueReferentLink } from '../../src/lib/server/network/invitations';
import { answerCall, answerView, cancelCall, createCall, getCall, matchCall, sendCall, sendReminders } from '../../src/lib/server/network/calls.service';
import { confirmAssignment } from '../../src/lib/server/commands/confirm-assignment';
import { networkDashboard } from '../../src/lib/server/network/dashboard';

const DAY = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

function event(title: string, startsAt: number, participants: EventInput['participants'] = [], kind: EventInput['kind'] = 'workshop'): EventInput {
	return {
		kind,
		title,
		startsAt: iso(startsAt),
		endsAt: iso(startsAt + 3 * 60 * 60 * 1000),
		place: 'Marseille',
		onlineUrl: '',
		description: '',
		agenda: '',
		minutes: '',
		participants,
		decisions: []
	};
}

function profile(skills: string[], over: Partial<ProfileInput> = {}): ProfileInput {
	return {
		directorate: 'Direction des lycées',
		service: 'Bâti',
		territory: '13',
		skills,
		languages: 'français',
		daysPerMonth: 2,
		bio: '',
		unavailable: [],
		...over
	};
}

/** The token of the answer link in the last call mail sent to `email`. */
describeEachDialect('referent network', (getDb) => {
	let lab: LabSummary;
	let coord: LabContext;
	let skillIds: Record<string, string>;
	const people: Record<string, { ctx: LabContext; email: string; name: string; personId: string; referentId?: string }> = {};

	async function person(key: string, name: string) {
		const m = await makeMember(getDb(), lab, 'referent', { name: `${name} ${uid()}` });
		people[key] = { ctx: m.ctx, email: m.email, name: m.ctx.actor!.name, personId: m.personId };
		return people[key]!;
	}

	beforeAll(async () => {
		lab = await makeLab(getDb());
		coord = (await makeMember(getDb(), lab, 'coordinator')).ctx;
		await saveSkills(getDb(), coord, ['World café', 'Design sprint', 'Théâtre-forum']);
		skillIds = Object.fromEntries((await listSkills(getDb(), lab.id)).map((s) => [s.label, s.id]));
		await person('alice', 'Alice');
		await person('bruno', 'Bruno');
		await person('chloe', 'Chloé');
		await person('david', 'David');
	});

	it('refuses to create a profile without consent, and creates it with consent', async () => {
		const a = people.alice!;
		await expect(joinNetwork(getDb(), a.ctx, profile([skillIds['World café']!]), false)).rejects.toMatchObject({ code: 'network.consentRequired' });
		a.referentId = await joinNetwork(getDb(), a.ctx, profile([skillIds['World café']!, skillIds['Design sprint']!]), true);
		const p = await getProfile(getDb(), lab.id, a.referentId);
		expect(p.skillLabels).toEqual(['World café', 'Design sprint']);
		expect(p.consentAt).toBeTruthy();
		expect(p.level).toBe('observer');
		for (const k of ['bruno', 'chloe', 'david'] as const)
			people[k]!.referentId = await joinNetwork(getDb(), people[k]!.ctx, profile([skillIds['World café']!], { territory: k === 'david' ? '06' : '13' }), true);
	});

	it('refuses a skill of another lab and a reversed period', async () => {
		const other = await makeLab(getDb());
		const otherCoord = (await makeMember(getDb(), other, 'coordinator')).ctx;
		await saveSkills(getDb(), otherCoord, ['Autre']);
		const foreign = (await listSkills(getDb(), other.id))[0]!.id;
		await expect(updateProfile(getDb(), lab.id, people.alice!.referentId!, profile([foreign]))).rejects.toMatchObject({ code: 'network.unknownSkill' });
		await expect(
			updateProfile(getDb(), lab.id, people.alice!.referentId!, profile([], { unavailable: [{ from: '2014-02-10', to: '2014-02-01' }] }))
		).rejects.toMatchObject({ code: 'network.periodReversed' });
	});

	it('derives the ladder from recorded past events, never from the future or absences', async () => {
		const now = Date.now();
		const a = people.alice!;
		const b = people.bruno!;
		await createEvent(
			getDb(),
			coord,
			event(
				'Formation animation',
				now - 60 * DAY,
				[
					{ name: a.name, organisation: '', role: 'trainee', attended: true },
					{ name: b.name, organisation: '', role: 'trainee', attended: false }
				],
				'training'
			)
		);
		await createEvent(
			getDb(),
			coord,
			event('Atelier passé', now - 30 * DAY, [
				{ name: a.name, organisation: '', role: 'facilitator' },
				{ name: b.name, organisation: '', role: 'co_facilitator' }
			])
		);
		await createEvent(getDb(), coord, event('Atelier futur', now + 90 * DAY, [{ name: b.name, organisation: '', role: 'facilitator' }]));
		const pa = await getProfile(getDb(), lab.id, a.referentId!);
		expect(pa.level).toBe('facilitator');
		expect(pa.reasons).toEqual([
			{ key: 'network.reason.facilitated', n: 1 },
			{ key: 'network.reason.trainings', n: 1 }
		]);
		const pb = await getProfile(getDb(), lab.id, b.referentId!);
		// Absent from the training; the future facilitation does not count yet.
		expect(pb.level).toBe('co_facilitator');
		expect(pb.reasons).toEqual([{ key: 'network.reason.coFacilitated', n: 1 }]);
		const view = await viewReferent(getDb(), coord, a.referentId!);
		expect(view.history.map((h) => h.title)).toEqual(['Atelier passé', 'Formation animation']);
	});

	it('filters the directory by skill, territory, level and availability', async () => {
		const db = getDb();
		const all = await listDirectory(db, coord, {});
		expect(all.total).toBe(4);
		expect((await listDirectory(db, coord, { skill: skillIds['Design sprint'] })).rows.map((r) => r.id)).toEqual([people.alice!.referentId]);
		expect((await listDirectory(db, coord, { territory: '06' })).rows.map((r) => r.id)).toEqual([people.david!.referentId]);
		expect((await listDirectory(db, coord, { level: 'facilitator' })).rows.map((r) => r.id)).toEqual([people.alice!.referentId]);
		await updateProfile(db, lab.id, people.chloe!.referentId!, profile([skillIds['World café']!], { unavailable: [{ from: '2030-03-01', to: '2030-03-31' }] }));
		const onDay = await listDirectory(db, coord, { availableOn: '2030-03-15' });
		expect(onDay.rows.map((r) => r.id)).not.toContain(people.chloe!.referentId);
		expect(onDay.total).toBe(3);
		await expect(listDirectory(db, people.alice!.ctx, {})).rejects.toMatchObject({ status: 403 });
	});

	describe('a call for facilitators', () => {
		let eventId: string;
		let callId: string;

		beforeAll(async () => {
			eventId = await createEvent(getDb(), coord, event(`Séminaire ${uid()}`, Date.now() + 20 * DAY));
		});

		it('refuses a deadline after the event', async () => {
			await expect(
				createCall(getDb(), coord, {
					eventId,
					needed: 1,
					minLevel: 'facilitator',
					skills: [],
					deadline: iso(Date.now() + 30 * DAY),
					message: '',
					pairNovices: true
				})
			).rejects.toMatchObject({ code: 'network.deadlineAfterEvent' });
		});

		it('matches consenting, skilled, available referents and says when fewer than needed', async () => {
			callId = await createCall(getDb(), coord, {
				eventId,
				needed: 2,
				minLevel: 'facilitator',
				skills: [skillIds['World café']!],
				deadline: iso(Date.now() + 10 * DAY),
				message: 'Merci !',
				pairNovices: true
			});
			const m = await matchCall(getDb(), lab.id, callId);
			expect(m.atLevel.map((r) => r.referentId)).toEqual([people.alice!.referentId]);
			expect(m.novices.map((r) => r.referentId).sort()).toEqual([people.bruno!.referentId, people.chloe!.referentId, people.david!.referentId].sort());
			const sent = await sendCall(getDb(), coord, callId, 'http://labo.test');
			expect(sent).toEqual({ sent: 4, atLevel: 1, needed: 2 });
			// Sending again asks nobody twice.
			expect((await sendCall(getDb(), coord, callId, 'http://labo.test')).sent).toBe(0);
			const mail = await getDb()
				.selectFrom('outbox_message')
				.where('to_address', '=', people.alice!.email)
				.where('subject', 'like', 'Appel%')
				.select('text_body')
				.executeTakeFirstOrThrow();
			expect(mail.text_body).toContain('/network/me/');
			expect(mail.text_body).toContain('Merci !');
		});

		it('records an answer once, without logging in', async () => {
			const db = getDb();
			const token = await answerToken(db, people.alice!.email);
			expect((await answerView(db, lab, token))!.closed).toBeNull();
			await answerCall(db, lab, token, 'yes');
			await expect(answerCall(db, lab, token, 'no')).rejects.toMatchObject({ code: 'network.answerUsed', status: 409 });
			expect((await answerView(db, lab, token))!).toMatchObject({ answer: 'yes', closed: 'used' });
			await expect(answerCall(db, lab, 'not-a-token', 'yes')).rejects.toMatchObject({ status: 404 });
			// Another lab's address does not open this lab's link.
			await expect(answerCall(db, await makeLab(db), await answerToken(db, people.bruno!.email), 'yes')).rejects.toMatchObject({ status: 404 });
			await answerCall(db, lab, await answerToken(db, people.bruno!.email), 'yes');
			await answerCall(db, lab, await answerToken(db, people.chloe!.email), 'no');
		});

		it('proposes a fair assignment and confirms it with a calendar invitation', async () => {
			const db = getDb();
			const detail = await getCall(db, coord, callId);
			expect(detail.proposal.picks).toEqual([
				{ referentId: people.alice!.referentId, role: 'facilitator', pairedWith: null },
				{ referentId: people.bruno!.referentId, role: 'co_facilitator', pairedWith: people.alice!.referentId }
			]);
			expect(detail.proposal.shortfall).toBe(1);
			// Chloé said no: she cannot be assigned.
			await expect(
				confirmAssignment(db, coord, callId, [{ referentId: people.chloe!.referentId!, role: 'facilitator' }], 'http://labo.test')
			).rejects.toMatchObject({ code: 'network.pickNotWilling' });
			const r = await confirmAssignment(db, coord, callId, detail.proposal.picks, 'http://labo.test');
			expect(r).toEqual({ added: 2, removed: 0 });
			const confirmation = await db
				.selectFrom('outbox_message')
				.where('to_address', '=', people.bruno!.email)
				.where('subject', 'like', 'Confirmation%')
				.selectAll()
				.executeTakeFirstOrThrow();
			expect(confirmation.text_body).toContain(people.alice!.name);
			const [ics] = JSON.parse(confirmation.attachments!) as { filename: string; content: string }[];
			expect(ics!.filename).toBe('invitation.ics');
			expect(ics!.content).toContain('BEGIN:VEVENT');
			const participants = await db.selectFrom('event_participant').where('event_id', '=', eventId).select(['person_id', 'role']).execute();
			expect(participants).toContainEqual({ person_id: people.bruno!.personId, role: 'co_facilitator' });
			// Taking Bruno off releases him and removes him from the event.
			const again = await confirmAssignment(db, coord, callId, [detail.proposal.picks[0]!], 'http://labo.test');
			expect(again).toEqual({ added: 0, removed: 1 });
			expect(
				await db
					.selectFrom('outbox_message')
					.where('to_address', '=', people.bruno!.email)
					.where('subject', 'like', 'Changement%')
					.select('id')
					.executeTakeFirst()
			).toBeTruthy();
			expect(
				(await db.selectFrom('event_participant').where('event_id', '=', eventId).where('person_id', '=', people.bruno!.personId).select('id').execute()).length
			).toBe(0);
		});

		it('reminds assigned people once, shortly before the event', async () => {
			const db = getDb();
			expect(await sendReminders(db, new Date(Date.now() + 5 * DAY))).toBe(0);
			const near = new Date(Date.now() + 19 * DAY);
			// Not while the event is cancelled.
			await cancelEvent(db, coord, eventId, 'Reporté');
			expect(await sendReminders(db, near)).toBe(0);
			await expect(
				createCall(db, coord, { eventId, needed: 1, minLevel: 'facilitator', skills: [], deadline: iso(Date.now() + 10 * DAY), message: '', pairNovices: true })
			).rejects.toMatchObject({ code: 'event.alreadyCancelled' });
			await reinstateEvent(db, coord, eventId);
			expect(await sendReminders(db, near)).toBe(1);
			expect(await sendReminders(db, near)).toBe(0);
		});

		it('refuses late answers and answers to a cancelled call', async () => {
			const db = getDb();
			const token = await answerToken(db, people.david!.email);
			await db
				.updateTable('network_call')
				.set({ deadline: iso(Date.now() - DAY) })
				.where('id', '=', callId)
				.execute();
			await expect(answerCall(db, lab, token, 'yes')).rejects.toMatchObject({ code: 'network.answerLate' });
			await db
				.updateTable('network_call')
				.set({ deadline: iso(Date.now() + DAY) })
				.where('id', '=', callId)
				.execute();
			await cancelCall(db, coord, callId);
			await expect(answerCall(db, lab, token, 'yes')).rejects.toMatchObject({ code: 'network.answerClosed' });
		});

		it('counts calls and facilitations on the dashboard', async () => {
			const b = await networkDashboard(getDb(), coord, new Date().getUTCFullYear());
			expect(b.totals.active).toBe(4);
			expect(b.byTerritory.find((t) => t.territory === '13')!.n).toBe(3);
			expect(b.months.at(-1)!.active).toBe(4);
		});
	});

	it('hides a withdrawn referent at once, from the directory and from new calls', async () => {
		const db = getDb();
		const d = people.david!;
		const token = await issueReferentLink(db, d.referentId!);
		expect(await referentByLink(db, lab.id, token)).toBe(d.referentId);
		await withdraw(db, lab.id, d.referentId!, null);
		expect((await listDirectory(db, coord, {})).rows.map((r) => r.id)).not.toContain(d.referentId);
		const eventId = await createEvent(db, coord, event(`Atelier ${uid()}`, Date.now() + 40 * DAY));
		const callId = await createCall(db, coord, {
			eventId,
			needed: 1,
			minLevel: 'observer',
			skills: [],
			deadline: iso(Date.now() + 10 * DAY),
			message: '',
			pairNovices: false
		});
		const m = await matchCall(db, lab.id, callId);
		expect(m.atLevel.map((r) => r.referentId)).not.toContain(d.referentId);
		// Joining again is a new consent.
		await joinNetwork(db, d.ctx, profile([]), true);
		expect((await listDirectory(db, coord, {})).rows.map((r) => r.id)).toContain(d.referentId);
	});

	it('gives a person all their data, and erases it for real on request', async () => {
		const db = getDb();
		const b = people.bruno!;
		const data = await exportReferentData(db, lab, b.referentId!);
		expect(data.person.email).toBe(b.email);
		expect(data.callAnswers.length).toBeGreaterThan(0);
		expect(data.events.length).toBeGreaterThan(0);
		await requestErasure(db, lab.id, b.referentId!, null);
		await expect(eraseReferent(db, people.alice!.ctx, b.referentId!)).rejects.toMatchObject({ status: 403 });
		await eraseReferent(db, coord, b.referentId!);
		expect(await db.selectFrom('referent').where('id', '=', b.referentId!).select('id').executeTakeFirst()).toBeUndefined();
		const answers = await db.selectFrom('call_answer').where('referent_id', '=', b.referentId!).selectAll().execute();
		expect(answers.length).toBeGreaterThan(0);
		expect(answers.every((a) => a.token_hash === null)).toBe(true);
		const named = await db.selectFrom('event_participant').where('lab_id', '=', lab.id).where('name', '=', b.name).select('id').execute();
		expect(named).toEqual([]);
		expect(
			await db
				.selectFrom('event_participant')
				.where('lab_id', '=', lab.id)
				.where('name', '=', `Anonyme ${b.referentId!.slice(0, 8)}`)
				.select('id')
				.executeTakeFirst()
		).toBeTruthy();
	});

	it("never shows a lab's referents to another lab", async () => {
		const other = await makeLab(getDb());
		const otherCoord = (await makeMember(getDb(), other, 'coordinator')).ctx;
		expect((await listDirectory(getDb(), otherCoord, {})).total).toBe(0);
		await expect(viewReferent(getDb(), otherCoord, people.alice!.referentId!)).rejects.toMatchObject({ status: 404 });
		await expect(eraseReferent(getDb(), otherCoord, people.alice!.referentId!)).rejects.toMatchObject({ status: 404 });
		expect(await referentByLink(getDb(), other.id, await issueReferentLink(getDb(), people.alice!.referentId!))).toBeNull();
	});
});

describeEachDialect('referent directory order', (getDb) => {
	it('sorts names (and directorates) in French order, accented initials among their letter', async () => {
		const db = getDb();
		const lab = await makeLab(db);
		const coord = (await makeMember(db, lab, 'coordinator')).ctx;
		await saveSkills(db, coord, ['World café']);
		const skill = (await listSkills(db, lab.id))[0]!.id;
		const names = ['Yves Exemple', 'Étienne Exemple', 'Zoé Exemple', 'Emma Exemple', 'Élodie Exemple', 'émile Exemple', 'Adèle Exemple'];
		const directorates = ['Économie', 'Zones humides', 'Direction des lycées', 'éducation', 'Écologie', 'Emploi', 'Aménagement'];
		for (const [i, name] of names.entries()) {
			const m = await makeMember(db, lab, 'referent', { name });
			await joinNetwork(db, m.ctx, profile([skill], { directorate: directorates[i]! }), true);
		}
		const d = await listDirectory(db, coord, {});
		expect(d.rows.map((r) => r.name)).toEqual([
			'Adèle Exemple',
			'Élodie Exemple',
			'émile Exemple',
			'Emma Exemple',
			'Étienne Exemple',
			'Yves Exemple',
			'Zoé Exemple'
		]);
		expect(d.directorates).toEqual(['Aménagement', 'Direction des lycées', 'Écologie', 'Économie', 'éducation', 'Emploi', 'Zones humides']);
	});
});
