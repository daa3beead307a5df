/**
 * Posting a comment, with its spam defences (honeypot, time to type, rate limits, links), and
 * the notice to the post's author and the lab's coordinators. Every visitor's comment waits for
 * a moderator; members of the lab are published at once (decision 010).
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema';
import { inTransaction, newId, nowIso } from '../../db/util';
import { DomainError } from '../../errors';
import { enqueueMail } from '../../mail';
import { hitRateLimit, peekRateLimit } from '../../ratelimit';
import type { SessionUser } from '../../auth';
import type { LabSummary } from '../../labs';
import { isMember, labContacts } from '../../members';
import { excerpt, journalMails } from '../../mail';
import { displayTitle } from '$lib/shared/journal';
import { emailHash, emailKey, ipKey } from './keys';
import { countLinks } from './render';
import { COMMENT_RULES } from './rules';
import { bumpContentVersion } from '../../publiccache';

export interface CommentInput {
	name: string;
	email: string;
	body: string;
	parentId?: string | null;
	/** The honeypot: people never see it, so it stays empty. */
	website: string;
	/** When the form was displayed (ms since the epoch), from a hidden field. */
	startedAt: number | string | null | undefined;
	ip: string;
}

export const emailSchema = z.string().max(254).pipe(z.email());

/**
 * Records a comment. Refusals, in this order, are DomainErrors naming a field so the form keeps
 * what was typed: honeypot, too fast, too many (429), too many links, comments closed, then the
 * fields. A visitor's comment always waits for moderation (the e-mail address typed is not
 * proof of anyone: decision 010); a member of the lab is published at once. Only accepted
 * comments count against the limits, per commenter (hashed address) and, higher, per network
 * address; members of the lab are counted against neither, nor the link limit (they sign with
 * their account).
 */
export async function postComment(
	db: Kysely<Database>,
	lab: LabSummary,
	post: { id: string; slug: string; comments_open: number | boolean },
	input: CommentInput,
	member: SessionUser | null,
	origin: string
): Promise<{ id: string; state: 'pending' | 'approved' }> {
	if ((input.website ?? '').trim() !== '') throw new DomainError('comment.spam.honeypot', 400, {}, 'body');
	const started = Number(input.startedAt);
	const now = Date.now();
	if (
		input.startedAt === null ||
		input.startedAt === undefined ||
		input.startedAt === '' ||
		!Number.isFinite(started) ||
		started > now ||
		now - started < COMMENT_RULES.minFillMs
	) {
		throw new DomainError('comment.spam.tooFast', 400, { seconds: COMMENT_RULES.minFillMs / 1000 }, 'body');
	}
	const inLab = member ? await isMember(db, lab.id, member.accountId) : false;
	const typedEmail = (member ? member.email : input.email).trim();
	const limits = inLab
		? []
		: [
				{ key: ipKey('comment', input.ip), limit: COMMENT_RULES.perAddress },
				...(emailSchema.safeParse(typedEmail).success ? [{ key: emailKey('comment-email', emailHash(typedEmail)), limit: COMMENT_RULES.perEmail }] : [])
			];
	const rateLimited = (retryAfterSeconds: number) => new DomainError('comment.spam.rateLimited', 429, { minutes: Math.ceil(retryAfterSeconds / 60) }, 'body');
	for (const l of limits) {
		// Only looked at here: the allowance is used when the comment is recorded.
		const peek = await peekRateLimit(db, l.key, l.limit);
		if (!peek.allowed) throw rateLimited(peek.retryAfterSeconds);
	}
	if (!inLab && countLinks(input.body) > COMMENT_RULES.maxLinks)
		throw new DomainError('comment.spam.tooManyLinks', 400, { max: COMMENT_RULES.maxLinks }, 'body');
	const row = await db
		.selectFrom('post')
		.where('id', '=', post.id)
		.where('lab_id', '=', lab.id)
		.where('state', '=', 'published')
		.select(['id', 'title', 'series', 'episode', 'slug', 'comments_open'])
		.executeTakeFirst();
	if (!row) throw new DomainError('comment.postNotFound', 404);
	if (!row.comments_open || !Number(post.comments_open)) throw new DomainError('comment.closed', 403, {}, 'body');

	// A member signs with their account's name (cut to the limit: they cannot edit it here).
	const name = member ? member.name.trim().slice(0, COMMENT_RULES.nameMax) : input.name.trim();
	if (!name) throw new DomainError('form.required', 400, {}, 'name');
	if (name.length > COMMENT_RULES.nameMax) throw new DomainError('form.tooLong', 400, { max: COMMENT_RULES.nameMax }, 'name');
	const email = typedEmail;
	if (!email) throw new DomainError('form.required', 400, {}, 'email');
	if (!emailSchema.safeParse(email).success) throw new DomainError('form.invalidEmail', 400, {}, 'email');
	const body = input.body.replace(/\r\n?/g, '\n').trim();
	if (!body) throw new DomainError('form.required', 400, {}, 'body');
	if (body.length > COMMENT_RULES.bodyMax) throw new DomainError('form.tooLong', 400, { max: COMMENT_RULES.bodyMax }, 'body');

	const hash = emailHash(email);
	return inTransaction(db, async (trx) => {
		let parentId: string | null = null;
		if (input.parentId) {
			let p = await trx
				.selectFrom('comment')
				.where('id', '=', input.parentId)
				.where('lab_id', '=', lab.id)
				.where('post_id', '=', row.id)
				.select(['id', 'parent_id', 'state'])
				.executeTakeFirst();
			if (p && p.state !== 'approved') p = undefined;
			// A reply to a reply goes to the top-level comment it answers.
			for (let depth = 0; p?.parent_id && depth < 50; depth++) {
				p = await trx
					.selectFrom('comment')
					.where('id', '=', p.parent_id)
					.where('lab_id', '=', lab.id)
					.where('post_id', '=', row.id)
					.select(['id', 'parent_id', 'state'])
					.executeTakeFirst();
			}
			if (!p || p.parent_id || p.state !== 'approved') throw new DomainError('comment.parentUnknown', 400, {}, 'parentId');
			parentId = p.id;
		}
		// The address typed proves nothing: only members skip moderation.
		const state = inLab ? 'approved' : 'pending';
		const id = newId();
		await trx
			.insertInto('comment')
			.values({
				id,
				lab_id: lab.id,
				post_id: row.id,
				parent_id: parentId,
				person_id: member?.personId ?? null,
				name,
				email_hash: hash,
				body,
				state,
				source_ref: null,
				created_at: nowIso(),
				moderated_at: null,
				moderated_by: null
			})
			.execute();
		// The allowance is used now that the comment is accepted; a race past the limit undoes it all.
		for (const l of limits) {
			const hit = await hitRateLimit(trx, l.key, l.limit);
			if (!hit.allowed) throw rateLimited(hit.retryAfterSeconds);
		}
		if (state === 'approved') await bumpContentVersion(trx, lab.id);
		await notifyNewComment(trx, lab, row, { id, name, body, pending: state === 'pending' }, member?.accountId ?? null, origin);
		return { id, state };
	});
}

/** Mails the post's authors and the lab's coordinators whose choice is "each" (the default). */
async function notifyNewComment(
	trx: Kysely<Database>,
	lab: LabSummary,
	post: { id: string; title: string; series: string; episode: string; slug: string },
	c: { id: string; name: string; body: string; pending: boolean },
	exceptAccountId: string | null,
	origin: string
): Promise<void> {
	const authors = await trx.selectFrom('post_author').where('post_id', '=', post.id).where('person_id', 'is not', null).select('person_id').execute();
	const contacts = await labContacts(trx, lab.id, { personIds: authors.map((a) => a.person_id!), roles: ['coordinator'] });
	const recipients = new Map(contacts.filter((r) => r.accountId !== exceptAccountId).map((r) => [r.accountId, r.email]));
	if (!recipients.size) return;
	const modes = await trx
		.selectFrom('journal_notify')
		.where('lab_id', '=', lab.id)
		.where('account_id', 'in', [...recipients.keys()])
		.select(['account_id', 'mode'])
		.execute();
	const modeOf = new Map(modes.map((m) => [m.account_id, m.mode]));
	const base = `${origin.replace(/\/+$/, '')}/l/${lab.slug}/journal`;
	const mail = journalMails.newComment({
		labName: lab.name,
		postTitle: displayTitle(post),
		name: c.name,
		pending: c.pending,
		excerpt: excerpt(c.body),
		postUrl: `${base}/${post.slug}#comment-${c.id}`,
		moderationUrl: `${base}/moderation`
	});
	for (const [accountId, to] of recipients) {
		if ((modeOf.get(accountId) ?? 'each') !== 'each') continue;
		await enqueueMail(trx, { labId: lab.id, to, ...mail });
	}
}
