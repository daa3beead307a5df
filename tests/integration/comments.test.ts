/**
 * Comments on journal posts, on both databases: who waits for moderation, the spam defences
 * and their order, threading, moderation (one and many, and who may), notifications by each
 * person's choice and the daily digest, erasure by a mailed link and by a coordinator, and no
 * commenter's address stored or audited anywhere.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember, uid } from '../factories';
import type { Db } from '../../src/lib/server/db';
import type { LabSummary } from '../../src/lib/server/labs/labs.service';
import { newId, nowIso } from '../../src/lib/server/db/util';
import { changeState, createPost, type PostInput } from '../../src/lib/server/journal/posts.service';
import {
	addressGroup,
	checkErasureToken,
	commenterData,
	emailHash,
	eraseByToken,
	eraseCommenter,
	erasureToken,
	moderate,
	moderationQueue,
	notifyMode,
	postComment,
	publicComments,
	requestErasure,
	resetJournalSecretForTests,
	sendDigests,
	setNotifyMode,
	type CommentInput
} from '../../src/lib/server/journal/comments';
import { DomainError } from '../../src/lib/server/errors';

process.env.LABO_SECRET = 'comments-test-secret-0123456789abcdef';
resetJournalSecretForTests();

const ORIGIN = 'https://labo.example';
/** A few hostile inputs (the full corpus is in src/lib/server/journal/comments.xss.test.ts). */
const HOSTILE = [
	'<script>alert(1)</script>',
	'<img src=x onerror=alert(1)>',
	'[x](javascript:alert(1))',
	'<a href="jav&#x09;ascript:alert(1)">x</a>',
	'[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
	'<iframe src="https://evil.example"></iframe>',
	'<svg onload=alert(1)>',
	'<style>body{display:none}</style>',
	'**<img src=x onerror=alert(1)>**',
	'[x][r]\n\n[r]: javascript:alert(1)'
];
const HOUR = 60 * 60 * 1000;
let ipSeq = 0;
const freshIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(++ipSeq / 250) % 250}.${ipSeq % 250}`;

function postInput(over: Partial<PostInput> = {}): PostInput {
	return {
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
		commentsOpen: true,
		...over
	};
}

function input(over: Partial<CommentInput> = {}): CommentInput {
	return {
		name: 'Camille Visiteuse',
		email: `visiteur-${uid()}@example.test`,
		body: 'Merci pour ce billet.',
		parentId: null,
		website: '',
		startedAt: Date.now() - 5000,
		ip: freshIp(),
		...over
	};
}

/** Comments are ordered by time: lets the clock move between two of them. */
const tick = () => new Promise((r) => setTimeout(r, 3));

async function refusal(p: Promise<unknown>): Promise<DomainError> {
	try {
		await p;
	} catch (e) {
		if (e instanceof DomainError) return e;
		throw e;
	}
	throw new Error('expected a refusal');
}

async function mailsTo(db: Db, to: string) {
	return db.selectFrom('outbox_message').where('to_address', '=', to).select(['subject', 'text_body', 'created_at']).orderBy('created_at').execute();
}

describeEachDialect('journal comments', (getDb) => {
	let lab: LabSummary;
	let coord: Awaited<ReturnType<typeof makeMember>>;
	let quietCoord: Awaited<ReturnType<typeof makeMember>>;
	let digestCoord: Awaited<ReturnType<typeof makeMember>>;
	let author: Awaited<ReturnType<typeof makeMember>>;
	let resident: Awaited<ReturnType<typeof makeMember>>;
	let referent: Awaited<ReturnType<typeof makeMember>>;
	let post: { id: string; slug: string; comments_open: number };

	async function publish(over: Partial<PostInput> = {}) {
		const id = await createPost(getDb(), coord.ctx, postInput({ byLab: false, authorPersonIds: [author.personId], ...over }));
		await changeState(getDb(), coord.ctx, id, { to: 'published' });
		const row = await getDb().selectFrom('post').where('id', '=', id).select(['id', 'slug', 'comments_open']).executeTakeFirstOrThrow();
		return row;
	}

	beforeAll(async () => {
		lab = await makeLab(getDb());
		coord = await makeMember(getDb(), lab, 'coordinator', { name: 'Claire Coordination' });
		quietCoord = await makeMember(getDb(), lab, 'coordinator');
		digestCoord = await makeMember(getDb(), lab, 'coordinator');
		author = await makeMember(getDb(), lab, 'resident', { name: 'Anne Autrice' });
		resident = await makeMember(getDb(), lab, 'resident');
		referent = await makeMember(getDb(), lab, 'referent');
		await setNotifyMode(getDb(), quietCoord.ctx, 'none');
		await setNotifyMode(getDb(), digestCoord.ctx, 'digest');
		post = await publish();
	});

	it('holds every visitor comment for moderation, even from an address already approved; members at once', async () => {
		const db = getDb();
		const email = `Retour-${uid()}@Example.test`;
		const first = await postComment(db, lab, post, input({ email }), null, ORIGIN);
		expect(first.state).toBe('pending');
		expect((await publicComments(db, lab.id, post.id)).some((c) => c.id === first.id)).toBe(false);
		await moderate(db, coord.ctx, [first.id], 'approve');
		await tick();
		// Anyone may type an address already approved: it proves nothing (decision 010).
		const second = await postComment(db, lab, post, input({ email: email.toLowerCase(), body: 'Encore merci' }), null, ORIGIN);
		expect(second.state).toBe('pending');
		expect((await publicComments(db, lab.id, post.id)).some((c) => c.id === second.id)).toBe(false);
		await moderate(db, coord.ctx, [second.id], 'approve');
		await tick();

		const mine = await postComment(db, lab, post, input({ name: '', email: '', body: 'Réponse du labo' }), resident.ctx.actor, ORIGIN);
		expect(mine.state).toBe('approved');
		const shown = await publicComments(db, lab.id, post.id);
		expect(shown.map((c) => c.id)).toEqual([first.id, second.id, mine.id]);
		expect(shown[2]).toMatchObject({ name: resident.ctx.actor!.name, member: true, replies: [] });
		expect(shown[0]!.member).toBe(false);
		expect(shown[0]!.html).toBe('<p>Merci pour ce billet.</p>\n');

		// The address itself is stored nowhere; only its keyed hash.
		const row = await db.selectFrom('comment').where('id', '=', first.id).selectAll().executeTakeFirstOrThrow();
		expect(row.email_hash).toBe(emailHash(email));
		expect(JSON.stringify(row).toLowerCase()).not.toContain(email.toLowerCase());
	});

	it('refuses spam and closed posts in order, each with its code and a field', async () => {
		const db = getDb();
		const honeypot = await refusal(postComment(db, lab, post, input({ website: 'https://spam.example', startedAt: Date.now() }), null, ORIGIN));
		expect([honeypot.code, honeypot.field]).toEqual(['comment.spam.honeypot', 'body']);
		for (const startedAt of [Date.now() - 1000, Date.now() + 60_000, null, '', 'abc']) {
			const e = await refusal(postComment(db, lab, post, input({ startedAt }), null, ORIGIN));
			expect([e.code, e.field], String(startedAt)).toEqual(['comment.spam.tooFast', 'body']);
		}
		const links = await refusal(postComment(db, lab, post, input({ body: 'https://a.example https://b.example [c](https://c.example)' }), null, ORIGIN));
		expect([links.code, links.field, links.params]).toEqual(['comment.spam.tooManyLinks', 'body', { max: 2 }]);
		expect((await postComment(db, lab, post, input({ body: 'https://a.example et [b](https://b.example)' }), null, ORIGIN)).state).toBe('pending');

		// Five accepted comments per commenter (their address, hashed) and ten minutes.
		const email = `bavard-${uid()}@example.test`;
		for (let i = 0; i < 5; i++) await postComment(db, lab, post, input({ email, body: `n° ${i}` }), null, ORIGIN);
		const limited = await refusal(postComment(db, lab, post, input({ email: email.toUpperCase() }), null, ORIGIN));
		expect([limited.code, limited.status, limited.field]).toEqual(['comment.spam.rateLimited', 429, 'body']);
		// Members sign with their account: not limited.
		const ip = freshIp();
		for (let i = 0; i < 6; i++) await postComment(db, lab, post, input({ ip, email, body: `membre ${i}` }), author.ctx.actor, ORIGIN);

		const closedPost = await publish({ commentsOpen: false });
		const closed = await refusal(postComment(db, lab, closedPost, input(), null, ORIGIN));
		expect([closed.code, closed.field]).toEqual(['comment.closed', 'body']);
		const stale = await refusal(postComment(db, lab, { ...closedPost, comments_open: 1 }, input(), null, ORIGIN));
		expect(stale.code).toBe('comment.closed');
	});

	it('counts only accepted comments against the limits', async () => {
		const db = getDb();
		const email = `maladroit-${uid()}@example.test`;
		const ip = freshIp();
		// Refused attempts (links, honeypot, too fast, a missing name) use up nothing...
		for (let i = 0; i < 6; i++) {
			expect(
				(await refusal(postComment(db, lab, post, input({ email, ip, body: 'https://a.example https://b.example https://c.example' }), null, ORIGIN))).code
			).toBe('comment.spam.tooManyLinks');
			expect((await refusal(postComment(db, lab, post, input({ email, ip, website: 'x' }), null, ORIGIN))).code).toBe('comment.spam.honeypot');
			expect((await refusal(postComment(db, lab, post, input({ email, ip, startedAt: Date.now() }), null, ORIGIN))).code).toBe('comment.spam.tooFast');
			expect((await refusal(postComment(db, lab, post, input({ email, ip, name: ' ' }), null, ORIGIN))).code).toBe('form.required');
		}
		// ...so the whole allowance is still there.
		for (let i = 0; i < 5; i++) expect((await postComment(db, lab, post, input({ email, ip, body: `essai ${i}` }), null, ORIGIN)).state).toBe('pending');
		expect((await refusal(postComment(db, lab, post, input({ email, ip }), null, ORIGIN))).status).toBe(429);
	});

	it('does not let one proxy address silence a whole administration, yet bounds it', async () => {
		const db = getDb();
		// Everyone at the Region reaches the site through one address: different people, different addresses typed.
		const proxy = freshIp();
		for (let i = 0; i < 30; i++) await postComment(db, lab, post, input({ ip: proxy, body: `agent ${i}` }), null, ORIGIN);
		const bounded = await refusal(postComment(db, lab, post, input({ ip: proxy }), null, ORIGIN));
		expect([bounded.code, bounded.status]).toEqual(['comment.spam.rateLimited', 429]);
		// IPv6 counts by /64: another address of the same /64 shares the ceiling, another /64 does not.
		for (let i = 0; i < 30; i++) await postComment(db, lab, post, input({ ip: `2001:db8:5:7::${(i + 1).toString(16)}`, body: `v6 ${i}` }), null, ORIGIN);
		expect((await refusal(postComment(db, lab, post, input({ ip: '2001:db8:5:7:ffff::1' }), null, ORIGIN))).status).toBe(429);
		expect((await postComment(db, lab, post, input({ ip: '2001:db8:5:8::1' }), null, ORIGIN)).state).toBe('pending');
	});

	it('groups client addresses: IPv4 as such, IPv6 by /64', () => {
		expect(addressGroup('192.0.2.7')).toBe('192.0.2.7');
		expect(addressGroup('::ffff:192.0.2.7')).toBe('192.0.2.7');
		expect(addressGroup('2001:db8:1:2:aaaa::1')).toBe(addressGroup('2001:DB8:1:2::2'));
		expect(addressGroup('2001:db8:1:2::1')).not.toBe(addressGroup('2001:db8:1:3::1'));
		expect(addressGroup('2001:db8::1')).toBe('2001:db8:0:0::/64');
	});

	it('checks the fields', async () => {
		const db = getDb();
		const cases: [Partial<CommentInput>, string, string][] = [
			[{ name: '  ' }, 'name', 'form.required'],
			[{ name: 'x'.repeat(81) }, 'name', 'form.tooLong'],
			[{ email: '' }, 'email', 'form.required'],
			[{ email: 'pas-une-adresse' }, 'email', 'form.invalidEmail'],
			[{ body: ' \n ' }, 'body', 'form.required'],
			[{ body: 'x'.repeat(5001) }, 'body', 'form.tooLong']
		];
		for (const [over, field, code] of cases) {
			const e = await refusal(postComment(db, lab, post, input(over), null, ORIGIN));
			expect([e.field, e.code], JSON.stringify(over).slice(0, 40)).toEqual([field, code]);
		}
		const otherLab = await makeLab(db);
		expect((await refusal(postComment(db, otherLab, post, input(), null, ORIGIN))).status).toBe(404);
	});

	it('threads replies one level deep', async () => {
		const db = getDb();
		const p = await publish();
		const top = await postComment(db, lab, p, input({ body: 'Question ?' }), resident.ctx.actor, ORIGIN);
		await tick();
		const reply = await postComment(db, lab, p, input({ body: 'Réponse', parentId: top.id }), author.ctx.actor, ORIGIN);
		await tick();
		const replyToReply = await postComment(db, lab, p, input({ body: 'Réponse à la réponse', parentId: reply.id }), coord.ctx.actor, ORIGIN);
		expect((await db.selectFrom('comment').where('id', '=', replyToReply.id).select('parent_id').executeTakeFirstOrThrow()).parent_id).toBe(top.id);
		await tick();
		const second = await postComment(db, lab, p, input({ body: 'Autre sujet' }), resident.ctx.actor, ORIGIN);

		// Imported threads may be deeper: shown under their top-level comment all the same.
		await tick();
		const deep = newId();
		await db
			.insertInto('comment')
			.values({
				id: deep,
				lab_id: lab.id,
				post_id: p.id,
				parent_id: replyToReply.id,
				person_id: null,
				name: 'Importé',
				email_hash: '',
				body: 'Ancien',
				state: 'approved',
				source_ref: 'wp-1',
				created_at: nowIso(),
				moderated_at: null,
				moderated_by: null
			})
			.execute();

		const thread = await publicComments(db, lab.id, p.id);
		expect(thread.map((c) => c.id)).toEqual([top.id, second.id]);
		expect(thread[0]!.replies.map((c) => c.id)).toEqual([reply.id, replyToReply.id, deep]);
		expect(thread[0]!.replies.every((r) => r.replies.length === 0)).toBe(true);

		// The parent must be an approved comment of the same post.
		const pending = await postComment(db, lab, p, input(), null, ORIGIN);
		expect((await refusal(postComment(db, lab, p, input({ parentId: pending.id }), null, ORIGIN))).code).toBe('comment.parentUnknown');
		expect((await refusal(postComment(db, lab, post, input({ parentId: top.id }), null, ORIGIN))).code).toBe('comment.parentUnknown');
		expect((await refusal(postComment(db, lab, p, input({ parentId: newId() }), null, ORIGIN))).field).toBe('parentId');
		// A reply under a comment that is later rejected is no longer shown.
		await moderate(db, coord.ctx, [top.id], 'reject');
		expect((await publicComments(db, lab.id, p.id)).map((c) => c.id)).toEqual([second.id]);
	});

	it('builds a thread of 300 comments quickly, in one query', async () => {
		const db = getDb();
		const p = await publish();
		const t0 = Date.parse('2024-01-01T00:00:00Z');
		const rows = Array.from({ length: 300 }, (_, i) => ({
			id: newId(),
			lab_id: lab.id,
			post_id: p.id,
			parent_id: null as string | null,
			person_id: i % 10 === 0 ? author.personId : null,
			name: `Personne ${i}`,
			email_hash: emailHash(`p${i}@example.test`),
			body: `Un avis **argumenté** n° ${i}, avec une [source](https://example.org/${i}) et du \`code\`.\n\n> Une citation\n\nEt une *conclusion* sur plusieurs\nlignes.`,
			state: 'approved',
			source_ref: null,
			created_at: new Date(t0 + i * 1000).toISOString(),
			moderated_at: null,
			moderated_by: null
		}));
		for (let i = 0; i < 300; i++) if (i % 3 === 2) rows[i]!.parent_id = rows[i - 1]!.parent_id ?? rows[i - 1]!.id;
		for (let i = 0; i < rows.length; i += 50)
			await db
				.insertInto('comment')
				.values(rows.slice(i, i + 50))
				.execute();
		await publicComments(db, lab.id, p.id); // warm up
		let queries = 0;
		const counted = db.withPlugin({ transformQuery: (args) => (queries++, args.node), transformResult: async (args) => args.result });
		const start = performance.now();
		const thread = await publicComments(counted, lab.id, p.id);
		const ms = performance.now() - start;
		expect(queries).toBe(1);
		console.info(`publicComments: 300 comments in ${ms.toFixed(1)} ms`);
		expect(thread.length + thread.reduce((n, c) => n + c.replies.length, 0)).toBe(300);
		expect(thread[0]!.member).toBe(true);
		expect(ms).toBeLessThan(1000);
	});

	it('moderates one or many comments, only in the lab, only for moderators', async () => {
		const db = getDb();
		const p = await publish();
		const ids: string[] = [];
		for (let i = 0; i < 3; i++) ids.push((await postComment(db, lab, p, input({ body: `à modérer ${i}` }), null, ORIGIN)).id);
		const queue = await moderationQueue(db, resident.ctx, {});
		expect(queue.rows.map((r) => r.id)).toEqual(expect.arrayContaining(ids));
		expect(queue.rows.find((r) => r.id === ids[0])).toMatchObject({
			postId: p.id,
			postSlug: p.slug,
			state: 'pending',
			name: 'Camille Visiteuse',
			member: false
		});
		expect(queue.counts.pending).toBe(queue.total);

		expect(await moderate(db, resident.ctx, [ids[0]!], 'approve')).toEqual({ count: 1 });
		expect(await moderate(db, coord.ctx, [ids[1]!, ids[2]!, ids[1]!], 'spam')).toEqual({ count: 2 });
		const spam = await moderationQueue(db, coord.ctx, { state: 'spam' });
		expect(spam.rows.map((r) => r.id)).toEqual(expect.arrayContaining([ids[1], ids[2]]));
		const states = await db.selectFrom('comment').where('id', 'in', ids).select(['id', 'state', 'moderated_by']).execute();
		expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual({ [ids[0]!]: 'approved', [ids[1]!]: 'spam', [ids[2]!]: 'spam' });
		expect(states.find((s) => s.id === ids[0])!.moderated_by).toBe(resident.accountId);

		const audit = await db
			.selectFrom('audit_entry')
			.where('lab_id', '=', lab.id)
			.where('action', '=', 'comment.moderate')
			.select(['subject_id', 'summary'])
			.execute();
		expect(audit.some((a) => a.subject_id === ids[0] && JSON.parse(a.summary).to === 'approved')).toBe(true);
		expect(audit.some((a) => a.subject_id === null && JSON.parse(a.summary).count === 2)).toBe(true);

		// All or nothing: one unknown id and nothing changes.
		expect((await refusal(moderate(db, coord.ctx, [ids[0]!, newId()], 'reject'))).status).toBe(404);
		expect((await db.selectFrom('comment').where('id', '=', ids[0]!).select('state').executeTakeFirstOrThrow()).state).toBe('approved');

		const other = await makeLab(db);
		const otherCoord = await makeMember(db, other, 'coordinator');
		expect((await refusal(moderate(db, otherCoord.ctx, [ids[0]!], 'reject'))).status).toBe(404);
		expect((await refusal(moderate(db, referent.ctx, [ids[0]!], 'reject'))).status).toBe(403);
		expect((await refusal(moderationQueue(db, referent.ctx, {}))).status).toBe(403);
		expect((await refusal(moderate(db, coord.ctx, [], 'reject'))).code).toBe('journal.moderation.noneSelected');
	});

	it('mails authors and coordinators by their choice, and digests later', async () => {
		const db = getDb();
		const p = await publish();
		const before = {
			author: (await mailsTo(db, author.email)).length,
			coord: (await mailsTo(db, coord.email)).length,
			quiet: (await mailsTo(db, quietCoord.email)).length,
			digest: (await mailsTo(db, digestCoord.email)).length
		};
		await postComment(db, lab, p, input({ name: 'Dominique', body: 'Un retour précis.' }), null, ORIGIN);
		const authorMails = await mailsTo(db, author.email);
		expect(authorMails.length).toBe(before.author + 1);
		expect(authorMails.at(-1)!.subject).toContain('à modérer');
		expect(authorMails.at(-1)!.text_body).toContain('Dominique');
		expect(authorMails.at(-1)!.text_body).toContain(`${ORIGIN}/l/${lab.slug}/journal/moderation`);
		expect((await mailsTo(db, coord.email)).length).toBe(before.coord + 1);
		expect((await mailsTo(db, quietCoord.email)).length).toBe(before.quiet);
		expect((await mailsTo(db, digestCoord.email)).length).toBe(before.digest);
		// A member does not get mail about their own comment.
		await postComment(db, lab, p, input({ body: 'Merci à tous' }), author.ctx.actor, ORIGIN);
		expect((await mailsTo(db, author.email)).length).toBe(before.author + 1);
		expect((await mailsTo(db, coord.email)).length).toBe(before.coord + 2);
		expect((await mailsTo(db, coord.email)).at(-1)!.text_body).toContain(`/journal/${p.slug}#comment-`);

		expect(await notifyMode(db, digestCoord.ctx)).toBe('digest');
		expect(await notifyMode(db, resident.ctx)).toBe('each');
		// The digest comes a day after it was chosen.
		expect(await sendDigests(db, new Date(), ORIGIN)).toBe(0);
		const backdate = (accountId: string) =>
			db
				.updateTable('journal_notify')
				.set({ last_digest_at: new Date(Date.now() - 25 * HOUR).toISOString() })
				.where('lab_id', '=', lab.id)
				.where('account_id', '=', accountId)
				.execute();
		await backdate(digestCoord.accountId);
		expect(await sendDigests(db, new Date(), ORIGIN)).toBe(1);
		const digest = (await mailsTo(db, digestCoord.email)).at(-1)!;
		expect(digest.text_body).toContain('Dominique');
		expect(digest.text_body).toContain(`${ORIGIN}/l/${lab.slug}/journal/moderation`);
		expect(await sendDigests(db, new Date(), ORIGIN)).toBe(0);
		await postComment(db, lab, p, input({ name: 'Elsa' }), null, ORIGIN);
		expect(await sendDigests(db, new Date(Date.now() + 2 * HOUR), ORIGIN)).toBe(0);
		expect(await sendDigests(db, new Date(Date.now() + 25 * HOUR), ORIGIN)).toBe(1);
		const next = (await mailsTo(db, digestCoord.email)).at(-1)!;
		expect(next.text_body).toContain('Elsa');
		expect(next.text_body).not.toContain('Dominique');
		// Nothing new: no digest the day after.
		expect(await sendDigests(db, new Date(Date.now() + 50 * HOUR), ORIGIN)).toBe(0);

		// An author who chose the digest only hears about their own posts.
		await setNotifyMode(db, author.ctx, 'digest');
		await backdate(author.accountId);
		const elsewhere = await publish({ authorPersonIds: [resident.personId] });
		await postComment(db, lab, elsewhere, input({ name: 'Fanny' }), null, ORIGIN);
		await postComment(db, lab, p, input({ name: 'Gaspard' }), null, ORIGIN);
		const authorBefore = (await mailsTo(db, author.email)).length;
		expect(await sendDigests(db, new Date(), ORIGIN)).toBe(1);
		const authorMailsNow = await mailsTo(db, author.email);
		expect(authorMailsNow.length).toBe(authorBefore + 1);
		expect(authorMailsNow.at(-1)!.text_body).toContain('Gaspard');
		expect(authorMailsNow.at(-1)!.text_body).not.toContain('Fanny');
		await setNotifyMode(db, author.ctx, 'each');
		expect((await refusal(setNotifyMode(db, author.ctx, 'often' as never))).code).toBe('form.invalidChoice');
	});

	it('erases by a mailed one-hour link, once, with the replies', async () => {
		const db = getDb();
		const p = await publish();
		const email = `efface-${uid()}@example.test`;
		const a = await postComment(db, lab, p, input({ email, body: 'Premier' }), null, ORIGIN);
		await moderate(db, coord.ctx, [a.id], 'approve');
		const b = await postComment(db, lab, p, input({ email, body: 'Second' }), null, ORIGIN);
		const reply = await postComment(db, lab, p, input({ parentId: a.id, body: 'Réponse' }), author.ctx.actor, ORIGIN);
		const keep = await postComment(db, lab, p, input({ body: 'Autre' }), author.ctx.actor, ORIGIN);

		const unknown = `inconnu-${uid()}@example.test`;
		expect(await requestErasure(db, lab, unknown, ORIGIN, freshIp())).toBeUndefined();
		expect(await mailsTo(db, unknown)).toEqual([]);
		expect(await requestErasure(db, lab, email.toUpperCase(), ORIGIN, freshIp())).toBeUndefined();
		const mail = (await mailsTo(db, email.toUpperCase())).at(-1)!;
		const token = new RegExp(`${ORIGIN}/l/${lab.slug}/journal/erase/([A-Za-z0-9_.-]+)`).exec(mail.text_body)![1]!;

		expect(await checkErasureToken(db, lab, token)).toEqual({ count: 2 });
		const other = await makeLab(db);
		expect((await refusal(checkErasureToken(db, other, token))).code).toBe('journal.erase.invalid');
		expect((await refusal(eraseByToken(db, lab, token.slice(0, -2) + 'xx'))).code).toBe('journal.erase.invalid');
		expect(await eraseByToken(db, lab, token)).toEqual({ erased: 3 });
		const left = await db.selectFrom('comment').where('id', 'in', [a.id, b.id, reply.id, keep.id]).select('id').execute();
		expect(left.map((r) => r.id)).toEqual([keep.id]);
		const used = await refusal(eraseByToken(db, lab, token));
		expect([used.code, used.status]).toEqual(['journal.erase.used', 410]);

		await postComment(db, lab, p, input({ email }), null, ORIGIN);
		const expired = erasureToken(lab.id, emailHash(email), Date.now() - 1000);
		const e = await refusal(eraseByToken(db, lab, expired));
		expect([e.code, e.status]).toEqual(['journal.erase.expired', 410]);
	});

	it('lets a coordinator export and erase a commenter’s comments', async () => {
		const db = getDb();
		const p = await publish();
		const email = `rgpd-${uid()}@example.test`;
		const a = await postComment(db, lab, p, input({ email, body: 'Mon avis' }), null, ORIGIN);
		await moderate(db, coord.ctx, [a.id], 'approve');
		const b = await postComment(db, lab, p, input({ email, body: 'Mon second avis' }), null, ORIGIN);
		await moderate(db, coord.ctx, [b.id], 'approve');

		const data = await commenterData(db, coord.ctx, ` ${email.toUpperCase()} `);
		expect(data.comments.map((c) => [c.text, c.state, c.post.slug]).sort()).toEqual([
			['Mon avis', 'approved', p.slug],
			['Mon second avis', 'approved', p.slug]
		]);
		expect((await refusal(commenterData(db, resident.ctx, email))).status).toBe(403);
		expect((await refusal(eraseCommenter(db, resident.ctx, email))).status).toBe(403);
		expect((await refusal(commenterData(db, coord.ctx, 'pas-une-adresse'))).code).toBe('form.invalidEmail');
		expect(await eraseCommenter(db, coord.ctx, email)).toEqual({ erased: 2 });
		expect((await commenterData(db, coord.ctx, email)).comments).toEqual([]);
	});

	it('never writes a commenter’s address in the audit log', async () => {
		const db = getDb();
		const emails = (await db.selectFrom('outbox_message').where('lab_id', '=', lab.id).select('to_address').execute()).map((m) => m.to_address);
		const audit = await db.selectFrom('audit_entry').where('lab_id', '=', lab.id).where('action', 'like', 'comment.%').selectAll().execute();
		expect(new Set(audit.map((a) => a.action))).toEqual(new Set(['comment.moderate', 'comment.erasureRequested', 'comment.erase', 'comment.lookup']));
		const text = JSON.stringify(audit).toLowerCase();
		expect(text).not.toContain('@');
		for (const e of emails) expect(text).not.toContain(e.toLowerCase());
	});

	it('shows hostile comments inert', async () => {
		const db = getDb();
		const p = await publish();
		for (const body of HOSTILE) {
			const c = await postComment(db, lab, p, input({ body }), author.ctx.actor, ORIGIN);
			expect(c.state).toBe('approved');
		}
		const thread = await publicComments(db, lab.id, p.id);
		const html = thread.map((c) => c.html).join('\n');
		expect(html).not.toMatch(/<script|<iframe|<svg|<style|<img|javascript:|data:|\son[a-z]+\s*=/i);
		const queue = await moderationQueue(db, coord.ctx, { state: 'approved' });
		expect(queue.rows.map((r) => r.html).join('\n')).not.toMatch(/<script|<iframe|<svg|<style|<img|javascript:|data:/i);
	});

	it('marks every link in a comment nofollow ugc, through the renderer the thread uses', async () => {
		const db = getDb();
		const p = await publish();
		const c = await postComment(db, lab, p, input({ body: 'Voir [le guide](https://guide.example/a?b=1) et https://autre.example/page' }), null, ORIGIN);
		await moderate(db, coord.ctx, [c.id], 'approve');
		const html = (await publicComments(db, lab.id, p.id)).find((x) => x.id === c.id)!.html;
		const anchors = html.match(/<a\s[^>]*>/g) ?? [];
		expect(anchors.length).toBeGreaterThanOrEqual(2);
		for (const a of anchors) expect(a).toMatch(/\srel="[^"]*\bnofollow\b[^"]*\bugc\b[^"]*"/);
		expect(html).toContain('href="https://guide.example/a?b=1"');
	});
});
