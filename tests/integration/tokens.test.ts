/**
 * Links that open something without an account — journal previews, session participant links,
 * referent-network invitations — are kept only as SHA-256 hashes, expire, and are shown once
 * when issued (a new one ends the old one). The migration hashes the plaintext tokens of an
 * existing database in place and strips links from mails already sent. On both databases.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { Migrator } from 'kysely';
import { expect, inject, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember, uid } from '../factories';
import { createDb, migrate, type Db, type Dialect } from '../../src/lib/server/db';
import { migrations } from '../../src/lib/server/db/migrations';
import { createPost, getPost, issuePreviewLink, previewPost, PREVIEW_LINK_TTL_MS, type PostInput } from '../../src/lib/server/journal/posts.service';
import { addParticipants, issueParticipantLinks, participantGroup, sessionView } from '../../src/lib/server/sessions/sessions.service';
import { createEvent } from '../../src/lib/server/events/events.service';
import { acceptNetworkInvitation, invitationByToken } from '../../src/lib/server/network/invitations';
import { previewImport, runImport } from '../../src/lib/server/network/import.service';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const ORIGIN = 'https://labo.example';
const post = (over: Partial<PostInput> = {}): PostInput => ({
	kind: 'post',
	title: `Brouillon ${uid()}`,
	slug: '',
	series: '',
	episode: '',
	excerpt: '',
	body: 'Texte.',
	tags: [],
	authorPersonIds: [],
	byLab: true,
	coverFileId: null,
	commentsOpen: true,
	...over
});
const profile = { directorate: 'DGS', service: '', territory: '13' as const, skills: [], languages: '', daysPerMonth: 1, bio: '', unavailable: [] };

/** An empty database of the dialect, migrated only up to `to`. */
async function databaseAt(dialect: Dialect, to: string): Promise<{ db: Db; drop: () => Promise<void> }> {
	let db: Db;
	let drop: () => Promise<void>;
	if (dialect === 'sqlite') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labo-mig-'));
		db = createDb({ url: path.join(dir, 'm.sqlite') });
		drop = async () => {
			await db.destroy();
			fs.rmSync(dir, { recursive: true, force: true });
		};
	} else {
		const adminUrl = inject('pgTemplateUrl')!.replace(/\/labo_template$/, '/postgres');
		const name = `m_${randomBytes(6).toString('hex')}`;
		const admin = new pg.Client({ connectionString: adminUrl });
		await admin.connect();
		await admin.query(`create database ${name}`);
		await admin.end();
		db = createDb({ url: adminUrl.replace(/\/postgres$/, `/${name}`), poolSize: 2 });
		drop = async () => {
			await db.destroy();
			const a = new pg.Client({ connectionString: adminUrl });
			await a.connect();
			await a.query(`drop database if exists ${name} with (force)`);
			await a.end();
		};
	}
	const r = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(to);
	if (r.error) throw r.error;
	return { db, drop };
}

describeEachDialect('links by token', (getDb, dialect) => {
	it('issues a preview link once, stores only its hash, ends the previous one and lets it expire', async () => {
		const db = getDb();
		const lab = await makeLab(db);
		const r = (await makeMember(db, lab, 'resident')).ctx;
		const id = await createPost(db, r, post());
		// No link exists before one is issued; the post details carry none.
		expect(await getPost(db, r, id)).toMatchObject({ previewExpiresAt: null });
		expect(JSON.stringify(await getPost(db, r, id))).not.toMatch(/previewToken/);

		const first = await issuePreviewLink(db, r, id);
		const row = await db.selectFrom('post').where('id', '=', id).select(['preview_token_hash', 'preview_expires_at']).executeTakeFirstOrThrow();
		expect(row.preview_token_hash).toBe(sha256(first.token));
		expect(JSON.stringify(await db.selectFrom('post').where('id', '=', id).selectAll().executeTakeFirstOrThrow())).not.toContain(first.token);
		expect(Date.parse(row.preview_expires_at!) - Date.now()).toBeGreaterThan(PREVIEW_LINK_TTL_MS - 60_000);
		expect((await previewPost(db, lab, first.token))!.id).toBe(id);
		// The stored hash itself is not a link.
		expect(await previewPost(db, lab, row.preview_token_hash)).toBeNull();

		const second = await issuePreviewLink(db, r, id);
		expect(await previewPost(db, lab, first.token)).toBeNull();
		expect((await previewPost(db, lab, second.token))!.id).toBe(id);

		await db
			.updateTable('post')
			.set({ preview_expires_at: new Date(Date.now() - 1000).toISOString() })
			.where('id', '=', id)
			.execute();
		expect(await previewPost(db, lab, second.token)).toBeNull();

		const referent = (await makeMember(db, lab, 'referent')).ctx;
		await expect(issuePreviewLink(db, referent, id)).rejects.toMatchObject({ status: 403 });
	});

	it('issues participant links once, hashed, for one or all; a new one ends the old; they expire', async () => {
		const db = getDb();
		const lab = await makeLab(db);
		const r = (await makeMember(db, lab, 'resident')).ctx;
		const eventId = await createEvent(db, r, {
			kind: 'seminar',
			title: `Séminaire ${uid()}`,
			startsAt: '2014-01-23T08:00:00.000Z',
			endsAt: '2014-01-23T16:00:00.000Z',
			place: '',
			onlineUrl: '',
			description: '',
			agenda: '',
			minutes: '',
			participants: [],
			decisions: []
		});
		await addParticipants(
			db,
			r,
			eventId,
			['Ana', 'Bao', 'Chloé'].map((name) => ({ name, email: '', organisation: '', actorType: '', scale: '', directorate: '', extra: {} })),
			'manual'
		);
		const view = await sessionView(db, r, eventId);
		expect(view.participants.every((p) => p.linkExpiresAt === null)).toBe(true);
		expect(JSON.stringify(view)).not.toMatch(/viewToken|view_token/);

		const all = await issueParticipantLinks(db, r, eventId);
		expect(all.links.map((l) => l.name)).toEqual(['Ana', 'Bao', 'Chloé']);
		const ana = all.links[0]!;
		const stored = await db.selectFrom('session_participant').where('id', '=', ana.id).select(['view_token_hash', 'view_expires_at']).executeTakeFirstOrThrow();
		expect(stored.view_token_hash).toBe(sha256(ana.token));
		expect((await participantGroup(db, lab, ana.token))!.name).toBe('Ana');

		const again = await issueParticipantLinks(db, r, eventId, [ana.id]);
		expect(again.links).toHaveLength(1);
		expect(await participantGroup(db, lab, ana.token)).toBeNull();
		expect((await participantGroup(db, lab, again.links[0]!.token))!.name).toBe('Ana');
		// The others' links are untouched.
		expect((await participantGroup(db, lab, all.links[1]!.token))!.name).toBe('Bao');

		await db
			.updateTable('session_participant')
			.set({ view_expires_at: new Date(Date.now() - 1000).toISOString() })
			.where('id', '=', ana.id)
			.execute();
		expect(await participantGroup(db, lab, again.links[0]!.token)).toBeNull();

		const referent = (await makeMember(db, lab, 'referent')).ctx;
		await expect(issueParticipantLinks(db, referent, eventId)).rejects.toMatchObject({ status: 403 });
		await expect(issueParticipantLinks(db, r, eventId, ['someone-else'])).rejects.toMatchObject({ status: 404 });
	});

	it('lets a network invitation expire, and invites again on the next import', async () => {
		const db = getDb();
		const lab = await makeLab(db);
		const coord = (await makeMember(db, lab, 'coordinator')).ctx;
		const email = `zoe-${uid()}@region.example`;
		const file = Buffer.from(`nom;email;direction;service;territoire;competences;langues;jours_par_mois\r\nZoé Test;${email};DGS;;13;;;1\r\n`, 'utf8');
		await runImport(db, coord, (await previewImport(db, coord, file, 'a.csv')).jobId!, ORIGIN);
		const linkIn = async () => {
			const mails = await db.selectFrom('outbox_message').where('to_address', '=', email).select('text_body').orderBy('created_at').execute();
			return { count: mails.length, token: new RegExp(`/network/join/([\\w-]+)`).exec(mails.at(-1)!.text_body)![1]! };
		};
		const first = await linkIn();
		expect(first.count).toBe(1);
		const inv = await db.selectFrom('network_invitation').where('email', '=', email).select(['id', 'token_hash', 'expires_at']).executeTakeFirstOrThrow();
		expect(inv.token_hash).toBe(sha256(first.token));
		expect(Date.parse(inv.expires_at!)).toBeGreaterThan(Date.now() + 29 * 24 * 3600_000);

		// Importing again while the invitation is alive mails nothing.
		await runImport(db, coord, (await previewImport(db, coord, file, 'a.csv')).jobId!, ORIGIN);
		expect((await linkIn()).count).toBe(1);

		await db
			.updateTable('network_invitation')
			.set({ expires_at: new Date(Date.now() - 1000).toISOString() })
			.where('id', '=', inv.id)
			.execute();
		expect((await invitationByToken(db, lab.id, first.token))!.expired).toBe(true);
		await expect(acceptNetworkInvitation(db, lab.id, first.token, profile, true)).rejects.toMatchObject({ code: 'network.invitationExpired', status: 410 });

		// The next import invites again, with a new link; the old one stays dead.
		await runImport(db, coord, (await previewImport(db, coord, file, 'a.csv')).jobId!, ORIGIN);
		const second = await linkIn();
		expect(second.count).toBe(2);
		expect(second.token).not.toBe(first.token);
		expect(await invitationByToken(db, lab.id, first.token)).toBeNull();
		expect(await acceptNetworkInvitation(db, lab.id, second.token, profile, true)).toBeTruthy();
	});

	it('migrates plaintext tokens to hashes in place, and strips links from mails already sent', async () => {
		const { db, drop } = await databaseAt(dialect, '007_journal');
		try {
			const now = new Date().toISOString();
			const any = db as unknown as import('kysely').Kysely<any>;
			await any.insertInto('lab').values({ id: 'lab1', slug: 'mig', name: 'Mig', region: 'R', description: '', settings: '{}', created_at: now }).execute();
			const previewToken = 'plain-preview-token-0123456789';
			await any
				.insertInto('post')
				.values({
					id: 'p1',
					lab_id: 'lab1',
					kind: 'post',
					slug: 'p1',
					title: 'Brouillon',
					state: 'draft',
					preview_token: previewToken,
					created_at: now,
					updated_at: now
				})
				.execute();
			await any
				.insertInto('event')
				.values({ id: 'e1', lab_id: 'lab1', kind: 'seminar', title: 'S', starts_at: now, ends_at: now, created_at: now, updated_at: now })
				.execute();
			const viewToken = 'plain-view-token-0123456789';
			await any
				.insertInto('session_participant')
				.values({
					id: 's1',
					lab_id: 'lab1',
					event_id: 'e1',
					name: 'Ana',
					email: '',
					organisation: '',
					actor_type: '',
					scale: '',
					directorate: '',
					extra: '{}',
					source: 'manual',
					view_token: viewToken,
					position: 0,
					created_at: now
				})
				.execute();
			await any
				.insertInto('outbox_message')
				.values([
					{
						id: 'm1',
						lab_id: 'lab1',
						to_address: 'a@x.test',
						subject: 'Lien',
						text_body: 'Ouvrez https://labo.example/password/reset/SECRET1 vite',
						html_body: null,
						state: 'sent',
						attempts: 1,
						next_attempt_at: now,
						created_at: now,
						sent_at: now,
						attachments: '[]'
					},
					{
						id: 'm2',
						lab_id: 'lab1',
						to_address: 'b@x.test',
						subject: 'Lien',
						text_body: 'Ouvrez https://labo.example/invitation/SECRET2',
						html_body: null,
						state: 'pending',
						attempts: 0,
						next_attempt_at: now,
						created_at: now,
						sent_at: null,
						attachments: null
					}
				])
				.execute();

			await migrate(db);

			const p = await db.selectFrom('post').where('id', '=', 'p1').select(['preview_token_hash', 'preview_expires_at']).executeTakeFirstOrThrow();
			expect(p.preview_token_hash).toBe(sha256(previewToken));
			expect(Date.parse(p.preview_expires_at!)).toBeGreaterThan(Date.now());
			// A link already handed out keeps working until then.
			expect((await previewPost(db, { id: 'lab1', slug: 'mig', name: 'Mig', region: 'R' } as never, previewToken))!.id).toBe('p1');
			const s = await db.selectFrom('session_participant').where('id', '=', 's1').select(['view_token_hash', 'view_expires_at']).executeTakeFirstOrThrow();
			expect(s.view_token_hash).toBe(sha256(viewToken));
			expect(s.view_expires_at).not.toBeNull();
			const mails = await db.selectFrom('outbox_message').select(['id', 'text_body', 'attachments']).orderBy('id').execute();
			expect(mails[0]).toEqual({ id: 'm1', text_body: 'Ouvrez [lien retiré après envoi / link removed after sending] vite', attachments: null });
			// A mail not sent yet keeps its link: it still has to reach its recipient.
			expect(mails[1]!.text_body).toContain('SECRET2');
		} finally {
			await drop();
		}
	});
});
