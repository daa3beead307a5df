import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeAccount, makeLab, makeMember, uid } from '../factories';
import { labContext, labStats, listLabs, membershipsOf, type LabSummary } from '../../src/lib/server/labs/labs.service';
import { inviteMember, memberChoices } from '../../src/lib/server/members/members.service';
import { addMembership, setMembershipRole } from '../../src/lib/server/members';
import { enqueueMail } from '../../src/lib/server/mail';

describeEachDialect('labs: lists and context over memberships', (getDb) => {
	let a: LabSummary;
	let b: LabSummary;
	let coord: Awaited<ReturnType<typeof makeMember>>;

	beforeAll(async () => {
		const id = uid();
		a = await makeLab(getDb(), { name: `A ${id}` });
		b = await makeLab(getDb(), { name: `B ${id}` });
		coord = await makeMember(getDb(), a, 'coordinator', { name: `Zoé ${id}` });
	});

	it("lists one's labs by name with one's role in each, and the labs with their member counts", async () => {
		const db = getDb();
		const acc = await makeAccount(db);
		expect(await membershipsOf(db, acc.accountId)).toEqual([]);
		await addMembership(db, { labId: b.id, accountId: acc.accountId, role: 'sponsor', actorId: null });
		await addMembership(db, { labId: a.id, accountId: acc.accountId, role: 'resident', actorId: null });
		const mine = await membershipsOf(db, acc.accountId);
		expect(mine.map((l) => [l.slug, l.role])).toEqual([
			[a.slug, 'resident'],
			[b.slug, 'sponsor']
		]);
		const counts = new Map((await listLabs(db)).map((l) => [l.id, l.members]));
		expect(counts.get(a.id)).toBe(2);
		expect(counts.get(b.id)).toBe(1);
		expect((await labContext(db, b.slug, { accountId: acc.accountId } as never)).role).toBe('sponsor');
	});

	it('sets a membership role inside the caller transaction', async () => {
		const db = getDb();
		const m = await makeMember(db, b, 'partner');
		await expect(
			db.transaction().execute(async (trx) => {
				await setMembershipRole(trx, m.membershipId, 'coordinator');
				expect((await labContext(trx, b.slug, { accountId: m.accountId } as never)).role).toBe('coordinator');
				throw new Error('rollback');
			})
		).rejects.toThrow('rollback');
		expect((await labContext(db, b.slug, { accountId: m.accountId } as never)).role).toBe('partner');
		await db.transaction().execute((trx) => setMembershipRole(trx, m.membershipId, 'resident'));
		expect((await labContext(db, b.slug, { accountId: m.accountId } as never)).role).toBe('resident');
	});

	it("counts the lab page's members, pending invitations and pending mail", async () => {
		const db = getDb();
		const before = await labStats(db, coord.ctx);
		await inviteMember(db, coord.ctx, { email: `inv-${uid()}@example.test`, name: 'Invitée', role: 'partner', origin: 'http://labo.test' });
		await enqueueMail(db, { labId: a.id, to: 'x@example.test', subject: 's', text: 't' });
		const after = await labStats(db, coord.ctx);
		expect(after.members).toBe(before.members);
		expect(after.pendingInvitations).toBe(before.pendingInvitations + 1);
		expect(after.pendingMail).toBeGreaterThanOrEqual(before.pendingMail + 2);
	});

	it('offers the members as choices by name, with person and organisation', async () => {
		const choices = await memberChoices(getDb(), coord.ctx);
		const me = choices.find((c) => c.accountId === coord.accountId);
		expect(me).toMatchObject({ personId: coord.personId, organisation: null });
		expect(me!.name).toContain('Zoé');
	});
});
