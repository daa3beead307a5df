/**
 * Answering a call signed in, on both databases: the referent's own answer row, the same one
 * the mailed link answers, under the same rules (once, before the deadline, call still open),
 * audited; nobody else — another referent, a coordinator, another lab — reaches it.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { contextFor, makeLab, makeMember, uid, answerToken } from '../factories';
import type { Db } from '../../src/lib/server/db';
import { type LabContext, type LabSummary } from '../../src/lib/server/labs/labs.service';
import { addMembership } from '../../src/lib/server/members';
import { createEvent } from '../../src/lib/server/events/events.service';
import { joinNetwork, type ProfileInput } from '../../src/lib/server/network/network.service';
import { answerCall, answerMyCall, answerView, cancelCall, createCall, myCalls, sendCall } from '../../src/lib/server/network/calls.service';
import { whatNeedsMe } from '../../src/lib/server/home/todo.service';

const DAY = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();
const profile: ProfileInput = {
	directorate: 'Direction des lycées',
	service: '',
	territory: '13',
	skills: [],
	languages: 'français',
	daysPerMonth: 4,
	bio: '',
	unavailable: []
};

type Member = Awaited<ReturnType<typeof makeMember>>;

/** A member who joined the lab's referent network. */
async function referent(db: Db, lab: LabSummary): Promise<Member> {
	const m = await makeMember(db, lab, 'referent', { name: `Référente ${uid()}` });
	await joinNetwork(db, m.ctx, profile, true);
	return m;
}

/** An upcoming event with a call sent to every referent of the lab; returns the call's id. */
async function sentCall(db: Db, coord: LabContext, title = `Atelier ${uid()}`): Promise<string> {
	const eventId = await createEvent(db, coord, {
		kind: 'workshop',
		title,
		startsAt: iso(Date.now() + 20 * DAY),
		endsAt: iso(Date.now() + 20 * DAY + 3 * 3600_000),
		place: 'Marseille',
		onlineUrl: '',
		description: '',
		agenda: '',
		minutes: '',
		participants: [],
		decisions: []
	});
	const callId = await createCall(db, coord, {
		eventId,
		needed: 1,
		minLevel: 'facilitator',
		skills: [],
		deadline: iso(Date.now() + 10 * DAY),
		message: 'Merci',
		pairNovices: true
	});
	await sendCall(db, coord, callId, 'http://labo.test');
	return callId;
}

/** The token of the answer link in the last call mail sent to `email`. */
/** The answer rows of a call, by the referent's person. */
async function rows(db: Db, callId: string) {
	return db
		.selectFrom('call_answer as a')
		.innerJoin('referent as r', 'r.id', 'a.referent_id')
		.where('a.call_id', '=', callId)
		.select(['a.id', 'r.person_id', 'a.answer', 'a.answered_at'])
		.orderBy('a.id')
		.execute();
}

describeEachDialect('answering a call signed in', (getDb) => {
	let lab: LabSummary;
	let coord: Member;

	beforeAll(async () => {
		lab = await makeLab(getDb());
		coord = await makeMember(getDb(), lab, 'coordinator');
	});

	it('lists the call, answers the very row the mailed link answers, audits it, and takes it off "À traiter"', async () => {
		const db = getDb();
		const louise = await referent(db, lab);
		const other = await referent(db, lab);
		const callId = await sentCall(db, coord.ctx, 'Atelier Louise');
		const token = await answerToken(db, louise.email);

		const before = await myCalls(db, louise.ctx);
		expect(before.open).toMatchObject([{ callId, event: 'Atelier Louise', place: 'Marseille', message: 'Merci', answer: null, closed: null }]);
		expect(before.past).toEqual([]);
		const todo = (await whatNeedsMe(db, louise.ctx)).find((i) => i.key === 'callsToAnswer');
		expect(todo).toMatchObject({ count: 1, href: `/l/${lab.slug}/network/me/calls` });

		const rowsBefore = await rows(db, callId);
		await answerMyCall(db, louise.ctx, callId, 'maybe');
		const rowsAfter = await rows(db, callId);
		// No row added: Louise's own row now holds the answer; the other referent's is untouched.
		expect(rowsAfter.map((r) => r.id)).toEqual(rowsBefore.map((r) => r.id));
		expect(rowsAfter.find((r) => r.person_id === louise.personId)).toMatchObject({ answer: 'maybe' });
		expect(rowsAfter.find((r) => r.person_id === louise.personId)!.answered_at).not.toBeNull();
		expect(rowsAfter.find((r) => r.person_id === other.personId)).toMatchObject({ answer: null, answered_at: null });
		// The mailed link sees that answer and can no longer change it.
		expect(await answerView(db, lab, token)).toMatchObject({ answer: 'maybe', closed: 'used' });
		await expect(answerCall(db, lab, token, 'yes')).rejects.toMatchObject({ code: 'network.answerUsed', status: 409 });
		// Nor can the app: one answer per call.
		await expect(answerMyCall(db, louise.ctx, callId, 'no')).rejects.toMatchObject({ code: 'network.myCalls.used', status: 409 });

		const audit = await db
			.selectFrom('audit_entry')
			.where('lab_id', '=', lab.id)
			.where('action', '=', 'call.answer')
			.where('subject_id', '=', callId)
			.select(['actor_id', 'summary'])
			.execute();
		expect(audit).toHaveLength(1);
		expect(audit[0]!.actor_id).toBe(louise.accountId);
		expect(JSON.parse(audit[0]!.summary)).toEqual({ answer: 'maybe', via: 'app' });

		const after = await myCalls(db, louise.ctx);
		expect(after.open).toEqual([]);
		expect(after.past).toMatchObject([{ callId, answer: 'maybe', closed: 'used' }]);
		expect((await whatNeedsMe(db, louise.ctx)).find((i) => i.key === 'callsToAnswer')).toBeUndefined();
	});

	it('shows in the app an answer given through the link, and audits the link too', async () => {
		const db = getDb();
		const bruno = await referent(db, lab);
		const callId = await sentCall(db, coord.ctx);
		await answerCall(db, lab, await answerToken(db, bruno.email), 'yes');
		expect((await myCalls(db, bruno.ctx)).past).toMatchObject([{ callId, answer: 'yes', closed: 'used' }]);
		await expect(answerMyCall(db, bruno.ctx, callId, 'no')).rejects.toMatchObject({ code: 'network.myCalls.used' });
		const audit = await db
			.selectFrom('audit_entry')
			.where('action', '=', 'call.answer')
			.where('subject_id', '=', callId)
			.select(['actor_id', 'summary'])
			.execute();
		expect(audit.map((a) => [a.actor_id, JSON.parse(a.summary)])).toEqual([[null, { answer: 'yes', via: 'link' }]]);
	});

	it('refuses an answer after the deadline, and to a cancelled call, recording nothing', async () => {
		const db = getDb();
		const chloe = await referent(db, lab);
		const callId = await sentCall(db, coord.ctx);
		await db
			.updateTable('network_call')
			.set({ deadline: iso(Date.now() - DAY) })
			.where('id', '=', callId)
			.execute();
		await expect(answerMyCall(db, chloe.ctx, callId, 'yes')).rejects.toMatchObject({ code: 'network.myCalls.late', status: 409 });
		expect((await myCalls(db, chloe.ctx)).past).toMatchObject([{ callId, answer: null, closed: 'deadline' }]);
		await db
			.updateTable('network_call')
			.set({ deadline: iso(Date.now() + DAY) })
			.where('id', '=', callId)
			.execute();
		await cancelCall(db, coord.ctx, callId);
		await expect(answerMyCall(db, chloe.ctx, callId, 'yes')).rejects.toMatchObject({ code: 'network.answerClosed', status: 409 });
		expect((await rows(db, callId)).find((r) => r.person_id === chloe.personId)).toMatchObject({ answer: null, answered_at: null });
		expect(await db.selectFrom('audit_entry').where('action', '=', 'call.answer').where('subject_id', '=', callId).select('id').execute()).toEqual([]);
	});

	it('lets nobody but the referent asked answer: not a referent asked later, not a coordinator, not a resident', async () => {
		const db = getDb();
		const david = await referent(db, lab);
		const callId = await sentCall(db, coord.ctx);
		// Joined after the call was sent: not asked.
		const late = await referent(db, lab);
		const resident = await makeMember(db, lab, 'resident');
		for (const ctx of [late.ctx, coord.ctx, resident.ctx]) {
			await expect(answerMyCall(db, ctx, callId, 'yes')).rejects.toMatchObject({ code: 'network.myCalls.unknown', status: 404 });
			expect((await myCalls(db, ctx)).open.map((c) => c.callId)).not.toContain(callId);
		}
		expect((await rows(db, callId)).every((r) => r.answered_at === null)).toBe(true);
		// David himself still can.
		await answerMyCall(db, david.ctx, callId, 'no');
		expect((await rows(db, callId)).find((r) => r.person_id === david.personId)).toMatchObject({ answer: 'no' });
	});

	it("never reaches another lab's call, not even the referent's own through the other lab", async () => {
		const db = getDb();
		const emma = await referent(db, lab);
		const callId = await sentCall(db, coord.ctx);
		const other = await makeLab(db);
		const otherCoord = await makeMember(db, other, 'coordinator');
		const otherReferent = await referent(db, other);
		await sentCall(db, otherCoord.ctx);
		// A member of the other lab, in their own lab: the call id is unknown there.
		await expect(answerMyCall(db, otherReferent.ctx, callId, 'yes')).rejects.toMatchObject({ status: 404 });
		await expect(answerMyCall(db, otherCoord.ctx, callId, 'yes')).rejects.toMatchObject({ status: 404 });
		// The same member looking at this lab, where they are not a member: refused.
		await expect(answerMyCall(db, await contextFor(db, lab, otherReferent.accountId), callId, 'yes')).rejects.toMatchObject({ status: 403 });
		// Emma also belongs to the other lab: through it, her call in this lab is out of reach.
		await addMembership(db, { labId: other.id, accountId: emma.accountId, role: 'referent', actorId: null });
		const emmaThere = await contextFor(db, other, emma.accountId);
		await expect(answerMyCall(db, emmaThere, callId, 'yes')).rejects.toMatchObject({ status: 404 });
		expect(await myCalls(db, emmaThere)).toEqual({ open: [], past: [] });
		expect((await myCalls(db, otherReferent.ctx)).open).toHaveLength(1);
		expect((await myCalls(db, otherReferent.ctx)).open.map((c) => c.callId)).not.toContain(callId);
		expect((await rows(db, callId)).every((r) => r.answered_at === null)).toBe(true);
	});
});
