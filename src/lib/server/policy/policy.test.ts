import { describe, expect, it } from 'vitest';
import { ACTIONS, can, authorize, permissionsOf, type Action } from './index';
import { ROLES, type Role } from '$lib/shared/roles';

// The expected matrix is written out by hand, independently of RULES, so that a change to the
// policy must be made twice: once in the code and once here, on purpose.
const Y = true;
const N = false;
//                                   public coord resid refer spons partn
const EXPECTED: Record<Action, [boolean, boolean, boolean, boolean, boolean, boolean]> = {
	'lab.viewPublic': [Y, Y, Y, Y, Y, Y],
	'lab.viewWorkspace': [N, Y, Y, Y, Y, Y],
	'lab.settings': [N, Y, N, N, N, N],
	'members.view': [N, Y, Y, Y, Y, N],
	'members.invite': [N, Y, N, N, N, N],
	'members.changeRole': [N, Y, N, N, N, N],
	'members.remove': [N, Y, N, N, N, N],
	'invitations.view': [N, Y, N, N, N, N],
	'invitations.revoke': [N, Y, N, N, N, N],
	'audit.view': [N, Y, N, N, N, N],
	'outbox.view': [N, Y, N, N, N, N],
	'knowledge.view': [N, Y, Y, Y, Y, Y],
	'knowledge.edit': [N, Y, Y, N, N, N],
	'search.use': [N, Y, Y, Y, Y, Y],
	'events.view': [N, Y, Y, Y, Y, N],
	'events.edit': [N, Y, Y, N, N, N],
	'events.cancel': [N, Y, Y, N, N, N],
	'events.delete': [N, Y, N, N, N, N],
	'experiments.view': [N, Y, Y, Y, Y, Y],
	'experiments.viewAll': [N, Y, Y, Y, Y, N],
	'experiments.edit': [N, Y, Y, N, N, N],
	'experiments.manageAccess': [N, Y, N, N, N, N],
	'fund.view': [N, Y, Y, N, Y, N],
	'fund.viewAll': [N, Y, Y, N, N, N],
	'fund.request': [N, Y, Y, N, N, N],
	'fund.review': [N, Y, N, N, Y, N],
	'fund.manage': [N, Y, N, N, N, N],
	'specs.view': [N, Y, Y, N, Y, N],
	'specs.edit': [N, Y, Y, N, N, N],
	'specs.award': [N, Y, N, N, N, N],
	'network.join': [N, Y, Y, Y, Y, Y],
	'network.view': [N, Y, Y, N, N, N],
	'network.manage': [N, Y, Y, N, N, N],
	'network.import': [N, Y, N, N, N, N],
	'network.erase': [N, Y, N, N, N, N],
	'network.dashboard': [N, Y, Y, N, Y, N],
	'journal.write': [N, Y, Y, N, N, N],
	'journal.moderate': [N, Y, Y, N, N, N],
	'journal.import': [N, Y, N, N, N, N],
	'journal.commenters': [N, Y, N, N, N, N]
};
const columns: (Role | null)[] = [null, ...ROLES];

describe('policy matrix', () => {
	it('covers every action the policy knows', () => {
		expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
	});

	for (const action of ACTIONS) {
		columns.forEach((role, i) => {
			const expected = EXPECTED[action][i];
			it(`${role ?? 'public'} ${expected ? 'may' : 'may not'} ${action}`, () => {
				expect(can(role, action)).toBe(expected);
				if (expected) expect(() => authorize(role, action)).not.toThrow();
				else expect(() => authorize(role, action)).toThrow(expect.objectContaining({ code: 'error.forbidden', status: 403 }));
			});
		});
	}

	it('gives the UI the same answers', () => {
		for (const role of columns) for (const a of ACTIONS) expect(permissionsOf(role)[a]).toBe(can(role, a));
	});
});

describe('record scopes', () => {
	it('gives each role the visibilities it may read', async () => {
		const { visibleTo } = await import('./scopes');
		expect(visibleTo(null)).toEqual(['public']);
		expect(visibleTo('partner')).toEqual(['partners', 'public']);
		expect(visibleTo('referent')).toEqual(['lab', 'partners', 'public']);
	});

	it('limits partners (and sponsors for funding requests) to the experiments they are listed on', async () => {
		const { experimentScope } = await import('./scopes');
		const { createDb } = await import('../db');
		const db = createDb({ url: ':memory:' });
		try {
			expect(experimentScope(db, { role: 'coordinator' }, 'x.id')).toBeNull();
			expect(experimentScope(db, { role: 'sponsor' }, 'x.id')).toBeNull();
			expect(experimentScope(db, { role: 'sponsor' }, 'r.experiment_id', 'fund.viewAll')).not.toBeNull();
			expect(experimentScope(db, { role: 'partner', actor: { accountId: 'a' } }, 'x.id')).not.toBeNull();
		} finally {
			await db.destroy();
		}
	});
});
