import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember, uid } from '../factories';
import { listAudit, recordAudit } from '../../src/lib/server/audit/audit.service';
import { changeRole, inviteMember } from '../../src/lib/server/members/members.service';
import type { LabSummary } from '../../src/lib/server/labs/labs.service';

describeEachDialect('audit log', (getDb) => {
	let lab: LabSummary;
	let coord: Awaited<ReturnType<typeof makeMember>>;
	beforeAll(async () => {
		lab = await makeLab(getDb());
		coord = await makeMember(getDb(), lab, 'coordinator', { name: 'Alice Audit' });
	});

	it('records who did what, when, in which lab, for every write', async () => {
		const r = await makeMember(getDb(), lab, 'resident');
		await inviteMember(getDb(), coord.ctx, { email: `a-${uid()}@example.test`, name: 'x', role: 'partner', origin: 'http://x' });
		await changeRole(getDb(), coord.ctx, { membershipId: r.membershipId, role: 'sponsor' });
		const { rows } = await listAudit(getDb(), coord.ctx, { actor: 'alice' });
		expect(rows.map((e) => e.action)).toEqual(['member.changeRole', 'invitation.create']);
		expect(rows[0]).toMatchObject({
			actorName: 'Alice Audit',
			subjectType: 'membership',
			subjectId: r.membershipId,
			summary: { from: 'resident', to: 'sponsor' }
		});
		expect(Date.parse(rows[0]!.createdAt)).toBeGreaterThan(Date.now() - 60_000);
	});

	it('filters by action and by date, newest first', async () => {
		const all = await listAudit(getDb(), coord.ctx, {});
		expect(all.actions).toEqual(expect.arrayContaining(['lab.create', 'member.add', 'member.changeRole']));
		const adds = await listAudit(getDb(), coord.ctx, { action: 'member.add' });
		expect(adds.rows.every((e) => e.action === 'member.add')).toBe(true);
		expect(adds.total).toBe(2);
		expect((await listAudit(getDb(), coord.ctx, { to: '2000-01-01' })).total).toBe(0);
		const today = new Date().toISOString().slice(0, 10);
		expect((await listAudit(getDb(), coord.ctx, { from: today, to: today })).total).toBe(all.total);
	});

	it('never shows one lab the entries of another', async () => {
		const other = await makeLab(getDb());
		const otherCoord = await makeMember(getDb(), other, 'coordinator');
		const mine = await listAudit(getDb(), coord.ctx, {});
		const theirs = await listAudit(getDb(), otherCoord.ctx, {});
		expect(theirs.total).toBeGreaterThan(0);
		const ids = new Set(mine.rows.map((r) => r.id));
		expect(theirs.rows.some((r) => ids.has(r.id))).toBe(false);
	});

	it('cannot be edited or deleted, not even by the application', async () => {
		await recordAudit(getDb(), { labId: lab.id, actorId: null, action: 'test.entry', subjectType: 'test' });
		await expect(getDb().updateTable('audit_entry').set({ action: 'forged' }).where('action', '=', 'test.entry').execute()).rejects.toThrow(/append-only/);
		await expect(getDb().deleteFrom('audit_entry').where('action', '=', 'test.entry').execute()).rejects.toThrow(/append-only/);
		expect((await listAudit(getDb(), coord.ctx, { action: 'test.entry' })).total).toBe(1);
	});
});
