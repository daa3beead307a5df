/**
 * The demo loaded at a fixed "now" has something still to come: an upcoming seminar, an open
 * call for it short of facilitators and a scheduled post, all in the coordinator's "À traiter";
 * and the new-call form's choice says how many past events it leaves out.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { contextFor } from '../factories';
import type { Db } from '../../src/lib/server/db';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { UPCOMING_POST_TITLE, UPCOMING_SEMINAR_TITLE } from '../../src/lib/server/demo/upcoming';
import { findLabBySlug, type LabContext } from '../../src/lib/server/labs/labs.service';
import { whatNeedsMe } from '../../src/lib/server/home/todo.service';
import { cancelEvent, pastEventCount, upcomingEventChoices } from '../../src/lib/server/events/events.service';
import { translate } from '../../src/lib/i18n';

const DAY = 24 * 60 * 60 * 1000;
// Before the machine's clock on purpose: nothing in the seed may rely on the real date.
const NOW = new Date('2026-03-02T09:30:00.000Z');
const NOW_ISO = NOW.toISOString();

describeEachDialect('demo lab: what is still to come', (getDb) => {
	let db: Db;
	let coord: LabContext;
	beforeAll(async () => {
		db = getDb();
		expect((await seedDemo(db, { now: NOW })).created).toBe(true);
		const lab = (await findLabBySlug(db, 'paca'))!;
		const account = await db.selectFrom('account').where('email', '=', 'coordination@labo-paca.example').select('id').executeTakeFirstOrThrow();
		coord = await contextFor(db, lab, account.id);
		expect(coord.role).toBe('coordinator');
	});

	const seminar = () => db.selectFrom('event').where('title', '=', UPCOMING_SEMINAR_TITLE).selectAll().executeTakeFirstOrThrow();

	it('has an upcoming seminar three to five weeks after now, ready for its groups and offered for a call', async () => {
		const e = await seminar();
		expect(e.kind).toBe('seminar');
		const ahead = Date.parse(e.starts_at) - NOW.getTime();
		expect(ahead).toBeGreaterThanOrEqual(21 * DAY);
		expect(ahead).toBeLessThanOrEqual(35 * DAY + 12 * 60 * 60 * 1000);
		expect(e.ends_at > e.starts_at).toBe(true);
		const participants = await db.selectFrom('session_participant').where('event_id', '=', e.id).select('id').execute();
		expect(participants).toHaveLength(40);
		const session = await db.selectFrom('group_session').where('event_id', '=', e.id).select('settings').executeTakeFirstOrThrow();
		expect(JSON.parse(session.settings).sizing).toEqual({ mode: 'groups', groups: 5 });
		// Groups are left for the coordinator to form.
		expect(await db.selectFrom('group_plan').where('event_id', '=', e.id).select('id').execute()).toHaveLength(0);
		expect((await upcomingEventChoices(db, coord, NOW_ISO)).map((c) => c.title)).toContain(UPCOMING_SEMINAR_TITLE);
	});

	it('has an open call for the seminar, sent, due before it, with yes, no and pending answers short of the number needed', async () => {
		const e = await seminar();
		const call = await db.selectFrom('network_call').where('event_id', '=', e.id).selectAll().executeTakeFirstOrThrow();
		expect(call.state).toBe('open');
		expect(call.sent_at! <= NOW_ISO).toBe(true);
		expect(call.deadline > NOW_ISO).toBe(true);
		expect(call.deadline < e.starts_at).toBe(true);
		const answers = await db.selectFrom('call_answer').where('call_id', '=', call.id).select('answer').execute();
		const yes = answers.filter((a) => a.answer === 'yes').length;
		expect(yes).toBeGreaterThan(0);
		expect(yes).toBeLessThan(call.needed);
		expect(answers.some((a) => a.answer === 'no')).toBe(true);
		expect(answers.some((a) => a.answer === null)).toBe(true);
	});

	it('has a post scheduled a few days after now', async () => {
		const post = await db.selectFrom('post').where('title', '=', UPCOMING_POST_TITLE).select(['state', 'publish_at', 'published_at']).executeTakeFirstOrThrow();
		expect(post.state).toBe('scheduled');
		expect(post.published_at).toBeNull();
		const ahead = Date.parse(post.publish_at!) - NOW.getTime();
		expect(ahead).toBeGreaterThan(0);
		expect(ahead).toBeLessThanOrEqual(7 * DAY);
	});

	it('puts the short call and the scheduled post in the coordinator’s "À traiter", and the call leaves it once enough say yes', async () => {
		const items = await whatNeedsMe(db, coord, NOW);
		const byKey = new Map(items.map((i) => [i.key, i]));
		expect(byKey.get('callsShort')).toEqual({ key: 'callsShort', count: 1, href: '/l/paca/network/calls' });
		expect(byKey.get('postsScheduled')).toEqual({ key: 'postsScheduled', count: 1, href: '/l/paca/journal/admin?state=scheduled' });
		// The count is the seminar's call: filled, it is no longer short.
		const call = await db
			.selectFrom('network_call')
			.where('event_id', '=', (await seminar()).id)
			.select('id')
			.executeTakeFirstOrThrow();
		await db.updateTable('call_answer').set({ answer: 'yes', answered_at: NOW_ISO }).where('call_id', '=', call.id).execute();
		expect((await whatNeedsMe(db, coord, NOW)).map((i) => i.key)).not.toContain('callsShort');
	});

	it('the new call’s choice leaves past events out and says how many', async () => {
		const offered = await upcomingEventChoices(db, coord, NOW_ISO);
		// The upcoming workshop and the seminar; the four 2013–2014 events, the training and the two recent workshops are past.
		expect(offered).toHaveLength(2);
		expect(await pastEventCount(db, coord, NOW_ISO)).toBe(7);
		// A cancelled event is left out for that reason, not for being past.
		const recent = await db
			.selectFrom('event')
			.where('title', '=', 'Atelier de coproduction : simplifier les aides aux entreprises')
			.select('id')
			.executeTakeFirstOrThrow();
		await cancelEvent(db, coord, recent.id, 'Reporté');
		expect(await pastEventCount(db, coord, NOW_ISO)).toBe(6);
		// A year later, everything the demo holds is past.
		expect(await pastEventCount(db, coord, new Date(NOW.getTime() + 365 * DAY).toISOString())).toBe(8);
		expect(translate('fr', 'network.calls.pastHidden', { n: 1 })).toMatch(/^1 événement passé n’est pas proposé/);
		expect(translate('fr', 'network.calls.pastHidden', { n: 6 })).toMatch(/^6 événements passés ne sont pas proposés/);
	});

	it('loads only once: a second load adds no second seminar', async () => {
		expect((await seedDemo(db, { now: new Date(NOW.getTime() + 10 * DAY) })).created).toBe(false);
		expect(await db.selectFrom('event').where('title', '=', UPCOMING_SEMINAR_TITLE).select('id').execute()).toHaveLength(1);
	});
});
