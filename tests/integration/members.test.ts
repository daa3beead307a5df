import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { contextFor, makeLab, makeMember, uid } from '../factories';
import {
	acceptInvitation,
	changeRole,
	findInvitation,
	inviteMember,
	listMembers,
	listPendingInvitations,
	removeMember,
	revokeInvitation
} from '../../src/lib/server/members/members.service';
import { listOutbox } from '../../src/lib/server/mail/outbox';
import { validateSession } from '../../src/lib/server/auth/session';
import type { LabSummary } from '../../src/lib/server/labs/labs.service';

const ORIGIN = 'http://labo.test';

describeEachDialect('members and invitations', (getDb) => {
	let lab: LabSummary;
	let coord: Awaited<ReturnType<typeof makeMember>>;

	beforeAll(async () => {
		lab = await makeLab(getDb());
		coord = await makeMember(getDb(), lab, 'coordinator', { name: 'Camille Test' });
	});

	it('invites by e-mail: the mail with the link is queued in the same transaction', async () => {
		const email = `new-${uid()}@example.test`;
		const { token } = await inviteMember(getDb(), coord.ctx, { email: email.toUpperCase(), name: 'Nouvelle', role: 'resident', origin: ORIGIN });
		const mails = await listOutbox(getDb(), coord.ctx, {});
		const mail = mails.rows.find((m) => m.to === email);
		expect(mail?.subject).toContain(lab.name);
		expect(mail?.text).toContain(`${ORIGIN}/invitation/${token}`);
		const pending = await listPendingInvitations(getDb(), coord.ctx);
		expect(pending.map((p) => p.email)).toContain(email);
	});

	it('accepting creates the account, the membership and a session, once', async () => {
		const email = `accept-${uid()}@example.test`;
		const { token } = await inviteMember(getDb(), coord.ctx, { email, name: 'Invitée', role: 'partner', origin: ORIGIN });
		const res = await acceptInvitation(getDb(), token, { name: 'Inès Invitée', password: 'a-long-password' });
		expect(res.labSlug).toBe(lab.slug);
		const session = await validateSession(getDb(), res.session.token);
		expect(session?.user).toMatchObject({ email, name: 'Inès Invitée' });
		const members = await listMembers(getDb(), coord.ctx, { q: 'inès' });
		expect(members.rows).toEqual([expect.objectContaining({ email, role: 'partner' })]);
		await expect(acceptInvitation(getDb(), token, { name: 'Again', password: 'a-long-password' })).rejects.toMatchObject({ code: 'invitation.used' });
		await expect(findInvitation(getDb(), token)).rejects.toMatchObject({ code: 'invitation.used', status: 410 });
	});

	it('an existing account joins a second lab with its own password', async () => {
		const other = await makeLab(getDb());
		const otherCoord = await makeMember(getDb(), other, 'coordinator');
		const person = await makeMember(getDb(), lab, 'resident');
		const { token } = await inviteMember(getDb(), otherCoord.ctx, { email: person.email, name: 'x', role: 'sponsor', origin: ORIGIN });
		expect((await findInvitation(getDb(), token)).hasAccount).toBe(true);
		await expect(acceptInvitation(getDb(), token, { password: 'wrong-password' })).rejects.toMatchObject({ code: 'auth.invalidCredentials' });
		await acceptInvitation(getDb(), token, { password: 'factory-password-1' });
		const ctx = await contextFor(getDb(), other, person.accountId);
		expect(ctx.role).toBe('sponsor');
	});

	it('refuses to invite a member, or someone already invited', async () => {
		const member = await makeMember(getDb(), lab, 'referent');
		await expect(inviteMember(getDb(), coord.ctx, { email: member.email, name: 'x', role: 'resident', origin: ORIGIN })).rejects.toMatchObject({
			code: 'members.alreadyMember',
			field: 'email'
		});
		const email = `twice-${uid()}@example.test`;
		await inviteMember(getDb(), coord.ctx, { email, name: 'x', role: 'resident', origin: ORIGIN });
		await expect(inviteMember(getDb(), coord.ctx, { email, name: 'x', role: 'resident', origin: ORIGIN })).rejects.toMatchObject({
			code: 'invitation.alreadyPending'
		});
	});

	it('an expired or revoked invitation cannot be used', async () => {
		const { token, invitationId } = await inviteMember(getDb(), coord.ctx, { email: `exp-${uid()}@example.test`, name: 'x', role: 'resident', origin: ORIGIN });
		await getDb().updateTable('invitation').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('id', '=', invitationId).execute();
		await expect(acceptInvitation(getDb(), token, { name: 'x', password: 'a-long-password' })).rejects.toMatchObject({ code: 'invitation.expired' });

		const second = await inviteMember(getDb(), coord.ctx, { email: `rev-${uid()}@example.test`, name: 'x', role: 'resident', origin: ORIGIN });
		await revokeInvitation(getDb(), coord.ctx, second.invitationId);
		await expect(findInvitation(getDb(), second.token)).rejects.toMatchObject({ code: 'invitation.revoked' });
		await expect(findInvitation(getDb(), 'not-a-token')).rejects.toMatchObject({ code: 'invitation.invalid', status: 404 });
	});

	it('changes roles and removes members, but never the last coordinator', async () => {
		const solo = await makeLab(getDb());
		const only = await makeMember(getDb(), solo, 'coordinator');
		await expect(changeRole(getDb(), only.ctx, { membershipId: only.membershipId, role: 'resident' })).rejects.toMatchObject({
			code: 'members.lastCoordinator'
		});
		await expect(removeMember(getDb(), only.ctx, { membershipId: only.membershipId })).rejects.toMatchObject({ code: 'members.lastCoordinator' });

		const r = await makeMember(getDb(), solo, 'resident', { name: 'Rémi' });
		expect(await changeRole(getDb(), only.ctx, { membershipId: r.membershipId, role: 'coordinator' })).toEqual({ name: 'Rémi' });
		// Two coordinators now: the first may step down.
		await changeRole(getDb(), only.ctx, { membershipId: only.membershipId, role: 'resident' });
		const rCtx = await contextFor(getDb(), solo, r.accountId);
		await removeMember(getDb(), rCtx, { membershipId: only.membershipId });
		const left = await listMembers(getDb(), rCtx, {});
		expect(left.rows.map((m) => m.name)).toEqual(['Rémi']);
	});

	it('searches members by name without regard to case, and pages', async () => {
		const big = await makeLab(getDb());
		const c = await makeMember(getDb(), big, 'coordinator', { name: 'Zoé Coordination' });
		for (let i = 0; i < 55; i++) await makeMember(getDb(), big, 'referent', { name: `Référent ${String(i).padStart(2, '0')}` });
		const p1 = await listMembers(getDb(), c.ctx, { role: 'referent' });
		expect(p1.total).toBe(55);
		expect(p1.rows).toHaveLength(50);
		const p2 = await listMembers(getDb(), c.ctx, { role: 'referent', page: 2 });
		expect(p2.rows).toHaveLength(5);
		expect((await listMembers(getDb(), c.ctx, { q: 'ZOÉ' })).rows.map((m) => m.name)).toEqual(['Zoé Coordination']);
		await makeMember(getDb(), big, 'resident', { name: 'Émile Étienne' });
		expect((await listMembers(getDb(), c.ctx, { q: 'émile ét' })).rows.map((m) => m.name)).toEqual(['Émile Étienne']);
		// LIKE wildcards typed by a user match literally.
		expect((await listMembers(getDb(), c.ctx, { q: '%' })).total).toBe(0);
	});
});
