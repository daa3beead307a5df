/**
 * The demo lab loads on both databases, with every module's data: what `npm start` shows a
 * new user, and what `DATABASE_URL=postgres://…` must show too.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { toCount } from '../../src/lib/server/db/util';

describeEachDialect('demo lab', (getDb) => {
	it('loads once, with the network, the seminar groups and the journal', async () => {
		const db = getDb();
		expect((await seedDemo(db)).created).toBe(true);
		expect((await seedDemo(db)).created).toBe(false);
		const count = async (table: 'referent' | 'session_participant' | 'group_plan' | 'post' | 'comment' | 'network_call') =>
			toCount(
				(
					await db
						.selectFrom(table)
						.select((eb) => eb.fn.countAll().as('n'))
						.executeTakeFirstOrThrow()
				).n
			);
		expect(await count('referent')).toBe(40);
		// The 2014 seminar's sixty participants, and forty for the upcoming one (no groups yet).
		expect(await count('session_participant')).toBe(100);
		expect(await count('group_plan')).toBe(1);
		// The workshop's call and the upcoming seminar's.
		expect(await count('network_call')).toBe(2);
		// Semaine 7.2 and 9.2, and the post scheduled ahead.
		expect(await count('post')).toBe(3);
		expect(await count('comment')).toBe(3);
		const facilitators = await db.selectFrom('group_facilitator').select('name').execute();
		expect(facilitators).toHaveLength(8);
		const p92 = await db.selectFrom('post').where('episode', '=', '9.2').select(['slug', 'state']).executeTakeFirstOrThrow();
		expect(p92).toEqual({ slug: 'semaine-9-2-preparer-la-construction-du-labo', state: 'published' });
		// "voir [[Semaine 7.2]]" and the scheduled post's "voir [[Semaine 9.2]]" are real links between posts.
		expect(await db.selectFrom('link').where('from_type', '=', 'post').where('to_type', '=', 'post').select('to_id').execute()).toHaveLength(2);
	});
});
