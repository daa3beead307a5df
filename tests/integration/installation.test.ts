import { expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { FACTORY_PASSWORD, makeAccount, makeLab, makeMember, uid } from '../factories';
import type { Db } from '../../src/lib/server/db';
import { createSession, validateSession, type SessionUser } from '../../src/lib/server/auth/session';
import { login, requestPasswordReset, resetPassword } from '../../src/lib/server/auth/auth.service';
import { labContext } from '../../src/lib/server/labs/labs.service';
import { acceptInvitation, listMembers } from '../../src/lib/server/members/members.service';
import { createExperiment } from '../../src/lib/server/experiments/experiments.service';
import { createEvent } from '../../src/lib/server/events/events.service';
import { createPost } from '../../src/lib/server/journal/posts.service';
import { toCount } from '../../src/lib/server/db/util';
import {
	appointCoordinator,
	COMMAND_LINE,
	createLabAsAdmin,
	disableAccount,
	enableAccount,
	labsOverview,
	listAccounts
} from '../../src/lib/server/installation/installation.service';

const IP = '127.0.0.1';
const ORIGIN = 'http://labo.test';

async function userOf(db: Db, accountId: string): Promise<SessionUser> {
	const { token } = await createSession(db, accountId);
	return (await validateSession(db, token))!.user;
}

async function makeAdmin(db: Db) {
	const a = await makeAccount(db, { name: `Admin ${uid()}` });
	await db.updateTable('account').set({ is_admin: 1 }).where('id', '=', a.accountId).execute();
	return { ...a, user: await userOf(db, a.accountId) };
}

const sessionsOf = async (db: Db, accountId: string) =>
	toCount(
		(
			await db
				.selectFrom('session')
				.where('account_id', '=', accountId)
				.select((eb) => eb.fn.countAll().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);

const experiment = { title: 'Expérimentation', scenario: '', summary: '', sponsor: '', operator: '', partners: '', lineage: '', conclusions: '' };
const event = {
	kind: 'workshop' as const,
	title: 'Atelier',
	startsAt: '2013-05-13T08:00:00.000Z',
	endsAt: '2013-05-13T10:00:00.000Z',
	place: '',
	onlineUrl: '',
	description: '',
	agenda: '',
	minutes: '',
	participants: [],
	decisions: []
};
const post = {
	kind: 'post' as const,
	slug: '',
	series: '',
	episode: '',
	excerpt: '',
	body: '',
	tags: [],
	authorPersonIds: [],
	byLab: true,
	coverFileId: null,
	commentsOpen: true
};

describeEachDialect('installation administration', (getDb) => {
	it('is refused to anyone but an installation admin, even a coordinator, and changes nothing', async () => {
		const db = getDb();
		const lab = await makeLab(db);
		const coordinator = await makeMember(db, lab, 'coordinator');
		const victim = await makeAccount(db);
		const slug = `refused-${uid()}`;
		for (const actor of [coordinator.ctx.actor, null]) {
			const calls = [
				createLabAsAdmin(db, actor, { slug, name: 'X', region: 'R' }),
				appointCoordinator(db, actor, { labId: lab.id, email: victim.email, origin: ORIGIN }),
				labsOverview(db, actor),
				listAccounts(db, actor, {}),
				disableAccount(db, actor, { accountId: victim.accountId }),
				enableAccount(db, actor, { accountId: victim.accountId })
			];
			for (const call of calls) await expect(call).rejects.toMatchObject({ code: 'error.forbidden', status: 403 });
		}
		expect(await db.selectFrom('lab').where('slug', '=', slug).select('id').executeTakeFirst()).toBeUndefined();
		expect(await db.selectFrom('membership').where('account_id', '=', victim.accountId).select('id').execute()).toEqual([]);
		expect((await db.selectFrom('account').where('id', '=', victim.accountId).select('disabled_at').executeTakeFirstOrThrow()).disabled_at).toBeNull();
	});

	it('creates a lab with a checked, free slug, audited under the admin', async () => {
		const db = getDb();
		const admin = await makeAdmin(db);
		await expect(createLabAsAdmin(db, admin.user, { slug: 'Labo Bretagne', name: 'X', region: 'R' })).rejects.toMatchObject({
			code: 'lab.invalidSlug',
			field: 'slug'
		});
		const slug = `bzh-${uid()}`;
		const lab = await createLabAsAdmin(db, admin.user, { slug, name: ' Labo Bretagne ', region: 'Bretagne' });
		expect(lab).toMatchObject({ slug, name: 'Labo Bretagne', region: 'Bretagne' });
		await expect(createLabAsAdmin(db, admin.user, { slug, name: 'Y', region: 'R' })).rejects.toMatchObject({
			code: 'lab.slugTaken',
			status: 409,
			field: 'slug'
		});
		const audit = await db.selectFrom('audit_entry').where('lab_id', '=', lab.id).where('action', '=', 'lab.create').select('actor_id').execute();
		expect(audit).toEqual([{ actor_id: admin.accountId }]);
	});

	it('appoints a coordinator: an account at once, a member by promotion, anyone else by invitation', async () => {
		const db = getDb();
		const admin = await makeAdmin(db);
		const lab = await makeLab(db);

		const outsider = await makeAccount(db, { name: 'Ana Dehors' });
		expect(await appointCoordinator(db, admin.user, { labId: lab.id, email: outsider.email.toUpperCase(), origin: ORIGIN })).toEqual({
			kind: 'appointed',
			name: 'Ana Dehors',
			labName: lab.name
		});
		expect((await labContext(db, lab.slug, await userOf(db, outsider.accountId))).role).toBe('coordinator');

		const resident = await makeMember(db, lab, 'resident', { name: 'Rémi Résident' });
		expect((await appointCoordinator(db, admin.user, { labId: lab.id, email: resident.email, origin: ORIGIN })).kind).toBe('promoted');
		expect((await labContext(db, lab.slug, await userOf(db, resident.accountId))).role).toBe('coordinator');
		const change = await db
			.selectFrom('audit_entry')
			.where('subject_id', '=', resident.membershipId)
			.where('action', '=', 'member.changeRole')
			.select(['actor_id', 'summary'])
			.executeTakeFirstOrThrow();
		expect(change.actor_id).toBe(admin.accountId);
		expect(JSON.parse(change.summary)).toMatchObject({ from: 'resident', to: 'coordinator' });

		await expect(appointCoordinator(db, admin.user, { labId: lab.id, email: resident.email, origin: ORIGIN })).rejects.toMatchObject({
			code: 'installation.alreadyCoordinator',
			field: 'email'
		});

		const email = `nouvelle-${uid()}@example.test`;
		await expect(appointCoordinator(db, admin.user, { labId: lab.id, email, origin: ORIGIN })).rejects.toMatchObject({
			code: 'installation.nameForInvitation',
			field: 'name'
		});
		const inv = await appointCoordinator(db, admin.user, { labId: lab.id, email, name: 'Nina Nouvelle', origin: ORIGIN });
		expect(inv.kind).toBe('invited');
		const mail = await db.selectFrom('outbox_message').where('to_address', '=', email).select(['text_body', 'lab_id']).executeTakeFirstOrThrow();
		expect(mail.lab_id).toBe(lab.id);
		expect(mail.text_body).toContain(`${ORIGIN}/invitation/${inv.kind === 'invited' ? inv.token : ''}`);
		await expect(appointCoordinator(db, admin.user, { labId: lab.id, email, name: 'Nina', origin: ORIGIN })).rejects.toMatchObject({
			code: 'invitation.alreadyPending'
		});
		const accepted = await acceptInvitation(db, inv.kind === 'invited' ? inv.token : '', { password: 'un-mot-de-passe-long' });
		expect(accepted.labSlug).toBe(lab.slug);
		expect((await validateSession(db, accepted.session.token))?.user.name).toBe('Nina Nouvelle');
		const nina = await validateSession(db, accepted.session.token);
		expect((await labContext(db, lab.slug, nina!.user)).role).toBe('coordinator');

		// The command line may do it too; its invitation is signed by the lab.
		const cliEmail = `cli-${uid()}@example.test`;
		expect((await appointCoordinator(db, COMMAND_LINE, { labId: lab.id, email: cliEmail, name: 'Cli', origin: ORIGIN })).kind).toBe('invited');
		await expect(appointCoordinator(db, admin.user, { labId: '00000000-0000-4000-8000-000000000000', email: cliEmail, origin: ORIGIN })).rejects.toMatchObject({
			status: 404
		});
	});

	it('disables an account everywhere: sessions end, login and reset links are refused; enabling restores it', async () => {
		const db = getDb();
		const admin = await makeAdmin(db);
		const labA = await makeLab(db);
		const labB = await makeLab(db);
		const person = await makeMember(db, labA, 'coordinator');
		await db
			.insertInto('membership')
			.values({
				id: crypto.randomUUID(),
				lab_id: labB.id,
				account_id: person.accountId,
				role: 'resident',
				created_at: new Date().toISOString(),
				updated_at: new Date().toISOString()
			})
			.execute();
		const s1 = await login(db, { email: person.email, password: FACTORY_PASSWORD, ip: IP });
		const s2 = await login(db, { email: person.email, password: FACTORY_PASSWORD, ip: '10.1.1.1' });
		await requestPasswordReset(db, { email: person.email, origin: ORIGIN, ip: IP });
		const before = await db.selectFrom('outbox_message').where('to_address', '=', person.email).select('text_body').executeTakeFirstOrThrow();
		const resetToken = /password\/reset\/([\w-]+)/.exec(before.text_body)![1]!;

		await expect(disableAccount(db, admin.user, { accountId: admin.accountId })).rejects.toMatchObject({ code: 'installation.cannotDisableSelf' });
		expect(await disableAccount(db, admin.user, { accountId: person.accountId })).toMatchObject({ email: person.email });

		expect(await validateSession(db, s1.token)).toBeNull();
		expect(await validateSession(db, s2.token)).toBeNull();
		expect(await sessionsOf(db, person.accountId)).toBe(0);
		// A session row written by any other path is refused as well.
		const sneaky = await createSession(db, person.accountId);
		expect(await validateSession(db, sneaky.token)).toBeNull();

		await expect(login(db, { email: person.email, password: FACTORY_PASSWORD, ip: IP })).rejects.toMatchObject({ code: 'auth.accountDisabled', status: 403 });
		// A wrong password gets the usual generic answer: nothing is said about the account.
		await expect(login(db, { email: person.email, password: 'not-the-password', ip: IP })).rejects.toMatchObject({ code: 'auth.invalidCredentials' });
		await expect(resetPassword(db, resetToken, 'a-new-password-1')).rejects.toMatchObject({ code: 'reset.used' });
		await requestPasswordReset(db, { email: person.email, origin: ORIGIN, ip: '10.2.2.2' });
		expect(await db.selectFrom('outbox_message').where('to_address', '=', person.email).select('id').execute()).toHaveLength(1);

		// Memberships stay, in both labs; the account shows as disabled.
		expect(await db.selectFrom('membership').where('account_id', '=', person.accountId).select('id').execute()).toHaveLength(2);
		const listed = await listAccounts(db, admin.user, { q: person.email });
		expect(listed.rows).toEqual([expect.objectContaining({ accountId: person.accountId, labs: 2, isAdmin: false, disabledAt: expect.any(String) })]);

		// Disabling twice is harmless and audited once.
		await disableAccount(db, COMMAND_LINE, { email: person.email.toUpperCase() });
		const audit = await db
			.selectFrom('audit_entry')
			.where('subject_id', '=', person.accountId)
			.where('action', 'in', ['account.disable', 'account.enable'])
			.select(['action', 'actor_id', 'lab_id'])
			.execute();
		expect(audit).toEqual([{ action: 'account.disable', actor_id: admin.accountId, lab_id: null }]);

		await enableAccount(db, admin.user, { accountId: person.accountId });
		const again = await login(db, { email: person.email, password: FACTORY_PASSWORD, ip: IP });
		expect((await validateSession(db, again.token))?.user.accountId).toBe(person.accountId);
		expect((await listAccounts(db, admin.user, { q: person.email })).rows[0]!.disabledAt).toBeNull();
		await expect(disableAccount(db, admin.user, { email: `ghost-${uid()}@example.test` })).rejects.toMatchObject({
			code: 'installation.accountNotFound',
			status: 404
		});
	});

	it('refuses to appoint a disabled account, and an invitation cannot reopen it', async () => {
		const db = getDb();
		const admin = await makeAdmin(db);
		const lab = await makeLab(db);
		const other = await makeLab(db);
		const person = await makeAccount(db);
		await disableAccount(db, admin.user, { accountId: person.accountId });
		await expect(appointCoordinator(db, admin.user, { labId: lab.id, email: person.email, origin: ORIGIN })).rejects.toMatchObject({
			code: 'installation.accountIsDisabled'
		});
		// A coordinator of another lab invites the same address: accepting it opens no session.
		const coord = await makeMember(db, other, 'coordinator');
		const { inviteMember } = await import('../../src/lib/server/members/members.service');
		const { token } = await inviteMember(db, coord.ctx, { email: person.email, name: 'X', role: 'resident', origin: ORIGIN });
		await expect(acceptInvitation(db, token, { password: FACTORY_PASSWORD })).rejects.toMatchObject({ code: 'auth.accountDisabled' });
		expect(await sessionsOf(db, person.accountId)).toBe(0);
	});

	it('gives every lab its counts and last activity, in the same number of queries however many labs', async () => {
		const db = getDb();
		const admin = await makeAdmin(db);
		const busy = await makeLab(db, { name: `Labo occupé ${uid()}` });
		const quiet = await makeLab(db);
		const coord = await makeMember(db, busy, 'coordinator');
		await makeMember(db, busy, 'resident');
		await makeMember(db, busy, 'partner');
		await createExperiment(db, coord.ctx, experiment);
		await createExperiment(db, coord.ctx, { ...experiment, title: 'Deux' });
		await createEvent(db, coord.ctx, event);
		await createPost(db, coord.ctx, { ...post, title: `Billet ${uid()}` });
		await createPost(db, coord.ctx, { ...post, kind: 'page', title: `Page ${uid()}` });
		await appointCoordinator(db, admin.user, { labId: busy.id, email: `inv-${uid()}@example.test`, name: 'Invitée', origin: ORIGIN });

		let queries = 0;
		const counting = db.withPlugin({
			transformQuery: (a) => {
				queries++;
				return a.node;
			},
			transformResult: async (a) => a.result
		});
		const rows = await labsOverview(counting, admin.user);
		const first = queries;
		const b = rows.find((r) => r.id === busy.id)!;
		const q = rows.find((r) => r.id === quiet.id)!;
		const latest = await db
			.selectFrom('audit_entry')
			.where('lab_id', '=', busy.id)
			.select((eb) => eb.fn.max('created_at').as('at'))
			.executeTakeFirstOrThrow();
		expect(b).toMatchObject({ members: 3, coordinators: 1, pendingInvitations: 1, experiments: 2, events: 1, posts: 1, lastActivity: latest.at });
		expect(q).toMatchObject({ members: 0, coordinators: 0, pendingInvitations: 0, experiments: 0, events: 0, posts: 0 });
		// The quiet lab's only activity is its creation.
		expect(q.lastActivity).toBe((await db.selectFrom('audit_entry').where('lab_id', '=', quiet.id).select('created_at').executeTakeFirstOrThrow()).created_at);

		for (let i = 0; i < 4; i++) await makeLab(db);
		queries = 0;
		const more = await labsOverview(counting, admin.user);
		expect(more.length).toBe(rows.length + 4);
		expect(queries).toBe(first);
	});

	it('leaves lab isolation unchanged: the admin flag is no lab role, and an appointment is for one lab only', async () => {
		const db = getDb();
		const admin = await makeAdmin(db);
		const labA = await makeLab(db);
		const labB = await makeLab(db);
		await makeMember(db, labB, 'coordinator');
		// An installation admin who is not a member reads nothing inside a lab.
		const adminInB = await labContext(db, labB.slug, admin.user);
		expect(adminInB.role).toBeNull();
		await expect(listMembers(db, adminInB, {})).rejects.toMatchObject({ status: 403 });

		const person = await makeAccount(db);
		await appointCoordinator(db, admin.user, { labId: labA.id, email: person.email, origin: ORIGIN });
		const user = await userOf(db, person.accountId);
		expect((await labContext(db, labA.slug, user)).role).toBe('coordinator');
		const inB = await labContext(db, labB.slug, user);
		expect(inB.role).toBeNull();
		await expect(listMembers(db, inB, {})).rejects.toMatchObject({ status: 403 });
	});
});
