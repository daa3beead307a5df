/**
 * "À traiter" on both databases: each role gets exactly the counts of what waits on it in this
 * lab — never another lab's items, never another role's, never someone else's own items.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeAccount, makeLab, makeMember, uid } from '../factories';
import type { Db } from '../../src/lib/server/db';
import { newId } from '../../src/lib/server/db/util';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';
import { whatNeedsMe, todoTotal, TODO_KEYS, type TodoItem } from '../../src/lib/server/home/todo.service';
import { landingFor } from '../../src/lib/server/home/landing';
import { addEnvelope, advanceRequest, createFund, createRequest } from '../../src/lib/server/fund/fund.service';
import { addMilestone, addPartnerAccess, createExperiment } from '../../src/lib/server/experiments/experiments.service';
import { advanceSpec, createSpec } from '../../src/lib/server/specs/specs.service';
import { createPost } from '../../src/lib/server/journal/posts.service';
import { createEvent } from '../../src/lib/server/events/events.service';
import { addMembership } from '../../src/lib/server/members';
import { isMessageKey } from '../../src/lib/i18n';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date();
const iso = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const day = (days: number) => iso(days * DAY).slice(0, 10);
const experiment = (title: string) => ({ title, scenario: '', summary: '', sponsor: '', operator: '', partners: '', lineage: '', conclusions: '' });

interface Cast {
	lab: LabSummary;
	coord: LabContext;
	resident: LabContext;
	otherResident: LabContext;
	referent: Awaited<ReturnType<typeof makeMember>>;
	sponsor: Awaited<ReturnType<typeof makeMember>>;
}

/**
 * One of everything that can wait on someone in `lab`, plus look-alikes that must not count
 * (decided requests, approved comments, far milestones, answered calls, past events…).
 */
async function seed(db: Db, c: Cast): Promise<void> {
	const { lab, coord, resident, otherResident, referent, sponsor } = c;
	// Fund: one request of the resident's followed experiment submitted, one draft, one of a colleague.
	const fundId = await createFund(db, coord, { name: 'Fondex', deciders: 'coordinator' });
	const envelopeId = await addEnvelope(db, coord, fundId, { year: 2030, amountCents: 100_000_00 });
	const mine = await createExperiment(db, resident, experiment('Mine'));
	const theirs = await createExperiment(db, otherResident, experiment('Theirs'));
	await addPartnerAccess(db, coord, mine, sponsor.accountId);
	const req = (ctx: LabContext, experimentId: string) =>
		createRequest(db, ctx, { envelopeId, experimentId, title: 'R', justification: 'J', lines: [{ label: 'L', category: 'personnel', amountCents: 1_000_00 }] });
	await advanceRequest(db, resident, await req(resident, mine), 'submitted');
	const reviewed = await req(resident, mine);
	await advanceRequest(db, resident, reviewed, 'submitted');
	await advanceRequest(db, coord, reviewed, 'under_review');
	await req(resident, mine); // a draft
	await advanceRequest(db, otherResident, await req(otherResident, theirs), 'submitted');
	await req(otherResident, theirs); // someone else's draft
	// Milestones: mine soon (one), mine far, theirs soon (the sponsor does not follow it).
	await addMilestone(db, resident, mine, { title: 'Soon', dueOn: day(5) });
	await addMilestone(db, resident, mine, { title: 'Far', dueOn: day(60) });
	await addMilestone(db, resident, mine, { title: 'Past', dueOn: day(-2) });
	await addMilestone(db, otherResident, theirs, { title: 'Soon too', dueOn: day(10) });
	// Journal: one pending comment, one approved; one scheduled post, one draft.
	const post = await createPost(db, coord, {
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
		commentsOpen: true
	});
	await createPost(db, coord, {
		kind: 'post',
		title: `Brouillon ${uid()}`,
		slug: '',
		series: '',
		episode: '',
		excerpt: '',
		body: 'Texte',
		tags: [],
		authorPersonIds: [],
		byLab: true,
		coverFileId: null,
		commentsOpen: true
	});
	await db
		.updateTable('post')
		.set({ state: 'scheduled', publish_at: iso(2 * DAY) })
		.where('id', '=', post)
		.execute();
	for (const state of ['pending', 'approved'])
		await db
			.insertInto('comment')
			.values({
				id: newId(),
				lab_id: lab.id,
				post_id: post,
				parent_id: null,
				person_id: null,
				name: 'Lecteur',
				email_hash: 'h',
				body: 'Bonjour',
				state,
				source_ref: null,
				created_at: iso(0),
				moderated_at: null,
				moderated_by: null
			})
			.execute();
	// Specifications: one under review, one draft.
	const sections = [{ key: 'context', title: 'Contexte', body: 'x' }];
	const spec = await createSpec(db, resident, 'specification', { title: 'CCTP', sections });
	await advanceSpec(db, resident, spec, 'draft');
	await createSpec(db, resident, 'specification', { title: 'Brouillon', sections });
	// Operations: a recent failed import, an old one, a running one; a failed and a sent mail.
	for (const [state, updated] of [
		['failed', iso(-DAY)],
		['failed', iso(-30 * DAY)],
		['running', iso(0)]
	] as const)
		await db
			.insertInto('import_job')
			.values({
				id: newId(),
				lab_id: lab.id,
				kind: 'network.invitations',
				state,
				file_name: 'a.csv',
				total: 1,
				done: 0,
				payload: '[]',
				result: '{}',
				created_by: null,
				created_at: updated,
				updated_at: updated
			})
			.execute();
	for (const state of ['failed', 'sent'])
		await db
			.insertInto('outbox_message')
			.values({
				id: newId(),
				lab_id: lab.id,
				to_address: 'x@example.test',
				subject: 's',
				text_body: 't',
				html_body: null,
				state,
				attempts: 5,
				last_error: null,
				next_attempt_at: iso(0),
				created_at: iso(0),
				sent_at: null,
				attachments: null
			})
			.execute();
	// Invitations: one expiring in two days, one in ten days, one expiring soon but accepted.
	for (const [expires, accepted] of [
		[iso(2 * DAY), null],
		[iso(10 * DAY), null],
		[iso(DAY), iso(0)]
	] as const)
		await db
			.insertInto('invitation')
			.values({
				id: newId(),
				lab_id: lab.id,
				email: `i-${uid()}@example.test`,
				name: 'Invitée',
				role: 'resident',
				token_hash: newId(),
				invited_by: null,
				expires_at: expires,
				accepted_at: accepted,
				revoked_at: null,
				created_at: iso(0)
			})
			.execute();
	// Network: the referent's profile, and a colleague's.
	const referentId = newId();
	const colleague = await makeAccount(db);
	const colleagueId = newId();
	for (const [id, personId] of [
		[referentId, referent.personId],
		[colleagueId, colleague.personId]
	] as const)
		await db
			.insertInto('referent')
			.values({
				id,
				lab_id: lab.id,
				person_id: personId,
				directorate: 'D',
				service: '',
				territory: '13',
				languages: 'français',
				days_per_month: 1,
				bio: '',
				consent_version: '1',
				consent_at: iso(-DAY),
				withdrawn_at: null,
				erasure_requested_at: null,
				created_at: iso(-DAY),
				updated_at: iso(-DAY)
			})
			.execute();
	const ev = (title: string, inDays: number) =>
		createEvent(db, resident, {
			kind: 'workshop',
			title,
			startsAt: iso(inDays * DAY),
			endsAt: iso(inDays * DAY + 3600_000),
			place: 'Marseille',
			onlineUrl: '',
			description: '',
			agenda: '',
			minutes: '',
			participants: [],
			decisions: []
		});
	const call = async (eventId: string, needed: number, state: string, deadline: string) => {
		const id = newId();
		await db
			.insertInto('network_call')
			.values({
				id,
				lab_id: lab.id,
				event_id: eventId,
				needed,
				min_level: 'novice',
				pair_novices: 0,
				skills: '[]',
				deadline,
				message: '',
				state,
				sent_at: iso(-DAY),
				created_by: null,
				created_at: iso(-DAY)
			})
			.execute();
		return id;
	};
	const answer = (callId: string, rid: string, a: string | null) =>
		db
			.insertInto('call_answer')
			.values({ id: newId(), call_id: callId, referent_id: rid, token_hash: newId(), answer: a, answered_at: a ? iso(0) : null, sent_at: iso(-DAY) })
			.execute();
	const upcoming = await ev('Atelier à venir', 20);
	// Short: needs 2, one yes; the referent has not answered → coordinator "short", referent "to answer".
	const short = await call(upcoming, 2, 'open', iso(10 * DAY));
	await answer(short, referentId, null);
	await answer(short, colleagueId, 'yes');
	// Full: needs 1, one yes; the referent already answered no.
	const full = await call(await ev('Atelier complet', 25), 1, 'open', iso(10 * DAY));
	await answer(full, colleagueId, 'yes');
	await answer(full, referentId, 'no');
	// Past deadline: neither short nor to answer.
	const late = await call(await ev('Atelier tardif', 30), 3, 'open', iso(-DAY));
	await answer(late, referentId, null);
	// Assignments: an upcoming facilitation, a past one, and a colleague's.
	const assigned = await call(await ev('Atelier confirmé', 15), 1, 'assigned', iso(5 * DAY));
	const past = await call(await ev('Atelier passé', -15), 1, 'assigned', iso(-20 * DAY));
	for (const [callId, rid] of [
		[assigned, referentId],
		[past, referentId],
		[assigned, colleagueId]
	] as const)
		await db
			.insertInto('call_assignment')
			.values({ id: newId(), call_id: callId, referent_id: rid, role: 'facilitator', confirmed_at: iso(-DAY), reminded_at: null })
			.execute();
}

const counts = (items: TodoItem[]) => Object.fromEntries(items.map((i) => [i.key, i.count]));

describeEachDialect('what needs me (À traiter)', (getDb) => {
	let a: Cast;
	let b: Cast;

	async function cast(): Promise<Cast> {
		const lab = await makeLab(getDb());
		return {
			lab,
			coord: (await makeMember(getDb(), lab, 'coordinator')).ctx,
			resident: (await makeMember(getDb(), lab, 'resident')).ctx,
			otherResident: (await makeMember(getDb(), lab, 'resident')).ctx,
			referent: await makeMember(getDb(), lab, 'referent'),
			sponsor: await makeMember(getDb(), lab, 'sponsor')
		};
	}

	beforeAll(async () => {
		a = await cast();
		b = await cast();
		await seed(getDb(), a);
		// The other lab has the same things twice over: none of them may leak into lab A's counts.
		await seed(getDb(), b);
		await seed(getDb(), { ...b, referent: await makeMember(getDb(), b.lab, 'referent') });
	});

	it('gives the coordinator what waits on the lab, and nothing of the other lab', async () => {
		const items = await whatNeedsMe(getDb(), a.coord, NOW);
		expect(counts(items)).toEqual({
			fundToDecide: 3,
			commentsToModerate: 1,
			callsShort: 1,
			specsInReview: 1,
			importsFailed: 1,
			mailsFailed: 1,
			invitationsExpiring: 1,
			postsScheduled: 1
		});
		expect(todoTotal(items)).toBe(10);
		const slug = a.lab.slug;
		expect(items.find((i) => i.key === 'commentsToModerate')!.href).toBe(`/l/${slug}/journal/moderation`);
		// The one failed import opens its own page.
		expect(items.find((i) => i.key === 'importsFailed')!.href).toMatch(new RegExp(`^/l/${slug}/network/import/[0-9a-f-]{36}$`));
		expect(counts(await whatNeedsMe(getDb(), b.coord, NOW))).toMatchObject({ fundToDecide: 6, commentsToModerate: 2, mailsFailed: 2 });
	});

	it('gives a resident their own experiments and requests only, never the coordinator counts', async () => {
		expect(counts(await whatNeedsMe(getDb(), a.resident, NOW))).toEqual({ myMilestones: 1, myDraftRequests: 1, myWaitingRequests: 2 });
		expect(counts(await whatNeedsMe(getDb(), a.otherResident, NOW))).toEqual({ myMilestones: 1, myDraftRequests: 1, myWaitingRequests: 1 });
	});

	it('gives a referent the calls they still owe an answer, linked to where they answer them, and their upcoming facilitation', async () => {
		const items = await whatNeedsMe(getDb(), a.referent.ctx, NOW);
		expect(counts(items)).toEqual({ callsToAnswer: 1, myFacilitations: 1 });
		// Calls are answered signed in, on the referent's own page (not the event's).
		expect(items.find((i) => i.key === 'callsToAnswer')!.href).toBe(`/l/${a.lab.slug}/network/me/calls`);
		const facilitation = items.find((i) => i.key === 'myFacilitations')!.href;
		expect(facilitation).toMatch(new RegExp(`^/l/${a.lab.slug}/events/[0-9a-f-]{36}$`));
		const title = await getDb().selectFrom('event').where('id', '=', facilitation.split('/').pop()!).select('title').executeTakeFirstOrThrow();
		expect(title.title).toBe('Atelier confirmé');
	});

	it('gives a sponsor what they follow: requests and milestones of their experiments only', async () => {
		expect(counts(await whatNeedsMe(getDb(), a.sponsor.ctx, NOW))).toEqual({ followedRequests: 2, followedMilestones: 1 });
	});

	it('gives nothing to a visitor, to a member of another lab, or to a partner', async () => {
		const visitor = { ...a.coord, actor: null, role: null };
		expect(await whatNeedsMe(getDb(), visitor, NOW)).toEqual([]);
		// Lab B's coordinator looking at lab A is a visitor there.
		expect(await whatNeedsMe(getDb(), { ...b.coord, lab: a.lab, role: null }, NOW)).toEqual([]);
		const partner = await makeMember(getDb(), a.lab, 'partner');
		expect(await whatNeedsMe(getDb(), partner.ctx, NOW)).toEqual([]);
	});

	it('says "nothing waits" once everything is handled', async () => {
		const lab = await makeLab(getDb());
		const coord = await makeMember(getDb(), lab, 'coordinator');
		expect(await whatNeedsMe(getDb(), coord.ctx, NOW)).toEqual([]);
	});

	it('lands after login in the only lab, or in the last one used among several', async () => {
		const one = await makeMember(getDb(), a.lab, 'resident');
		expect(await landingFor(getDb(), one.accountId, b.lab.slug)).toBe(`/l/${a.lab.slug}`);
		await addMembership(getDb(), { labId: b.lab.id, accountId: one.accountId, role: 'sponsor', actorId: null });
		expect(await landingFor(getDb(), one.accountId, b.lab.slug)).toBe(`/l/${b.lab.slug}`);
		expect(await landingFor(getDb(), one.accountId, a.lab.slug)).toBe(`/l/${a.lab.slug}`);
		// A lab they are not a member of, or none remembered: the list of labs.
		const other = await makeLab(getDb());
		expect(await landingFor(getDb(), one.accountId, other.slug)).toBe('/');
		expect(await landingFor(getDb(), one.accountId, undefined)).toBe('/');
	});
});

it('has a message, in both languages, for every kind of item', () => {
	for (const k of TODO_KEYS) expect(isMessageKey(`todo.${k}`), k).toBe(true);
});
