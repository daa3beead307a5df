/**
 * Comments on journal posts: posting (with its spam defences), the public thread, moderation,
 * notifications to authors and coordinators, and the commenter's rights (erasure, export).
 *
 * E-mail addresses of commenters are never stored. A comment keeps `email_hash`, an
 * HMAC-SHA256 of the lower-cased address keyed with the installation's secret (see
 * `journalSecret`), which is enough to find someone's comments when they ask for them, to mail
 * them an erasure link to the address they type, and to count their comments against the
 * limit. The address is not verified, so it never skips moderation: every visitor's comment
 * waits for a moderator; members of the lab are published at once (decision 010).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Marked, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema';
import { inTransaction, newId, nowIso, toCount } from '../db/util';
import { DomainError, forbidden } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit/audit.service';
import { installationSecret, resetInstallationSecretForTests } from '../secret';
import { enqueueMail } from '../mail/outbox';
import { hitRateLimit, LIMITS, peekRateLimit } from '../ratelimit/ratelimit';
import { env, publicOrigin } from '../env';
import type { SessionUser } from '../auth/session';
import type { LabContext, LabSummary } from '../labs/labs.service';
import { excerpt, journalMails, type DigestItem } from '../mail/journal';
import { displayTitle } from '$lib/shared/journal';

export const COMMENT_STATES = ['pending', 'approved', 'spam', 'rejected'] as const;
export type CommentState = (typeof COMMENT_STATES)[number];
export const MODERATION_ACTIONS = ['approve', 'reject', 'spam'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];
export const NOTIFY_MODES = ['each', 'digest', 'none'] as const;
export type NotifyMode = (typeof NOTIFY_MODES)[number];

export const COMMENT_RULES = {
	nameMax: 80,
	bodyMax: 5000,
	maxLinks: 2,
	/** A person needs at least this long between seeing the form and sending it. */
	minFillMs: 3000,
	/** Accepted comments per commenter (hashed e-mail address) and window. */
	perEmail: { max: 5, windowMs: 10 * 60_000 },
	/**
	 * Accepted comments per network address and window: higher, because a whole administration
	 * may reach the site through one proxy address. IPv6 addresses count by /64 (one household
	 * or office gets a whole /64).
	 */
	perAddress: { max: 30, windowMs: 10 * 60_000 },
	erasureTtlMs: 60 * 60_000,
	digestEveryMs: 24 * 60 * 60_000
} as const;

export const MODERATION_PAGE_SIZE = 50;

const isState = (s: unknown): s is CommentState => typeof s === 'string' && (COMMENT_STATES as readonly string[]).includes(s);
export const isModerationAction = (s: unknown): s is ModerationAction => typeof s === 'string' && (MODERATION_ACTIONS as readonly string[]).includes(s);
export const isNotifyMode = (s: unknown): s is NotifyMode => typeof s === 'string' && (NOTIFY_MODES as readonly string[]).includes(s);

// ——— The installation's secret ———

/**
 * The key of every HMAC here (e-mail hashes, IP keys, erasure links): the installation's secret
 * (`$lib/server/secret`). Changing or losing it makes known commenters new again and leaves old
 * comments findable by erasure only through a coordinator (by post and name).
 */
export const journalSecret = (): Buffer => installationSecret();

/** For tests that change LABO_SECRET. */
export function resetJournalSecretForTests(): void {
	resetInstallationSecretForTests();
}

const hmac = (purpose: string, value: string): Buffer => createHmac('sha256', journalSecret()).update(`${purpose}\0${value}`).digest();

/** What a comment stores instead of the address (also for importers of old comments). */
export const emailHash = (email: string): string => hmac('email', email.trim().toLowerCase()).toString('hex');

const ipKey = (prefix: string, ip: string) => `${prefix}:${hmac('ip', addressGroup(ip)).toString('hex').slice(0, 32)}`;
const emailKey = (prefix: string, hash: string) => `${prefix}:${hash.slice(0, 32)}`;

/**
 * The network a client address counts for: an IPv4 address itself (also when written as
 * IPv4-mapped IPv6), an IPv6 address's /64 prefix.
 */
export function addressGroup(ip: string): string {
	const a = ip.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
	const mapped = /^(?:[0:]*:)?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
	if (mapped) return mapped[1]!;
	if (!a.includes(':')) return a;
	const [head, tail] = a.includes('::') ? (a.split('::') as [string, string]) : [a, null];
	const left = head ? head.split(':') : [];
	const right = tail === null ? [] : tail ? tail.split(':') : [];
	// An embedded IPv4 tail counts as two groups; only the first four groups matter here.
	const fill = tail === null ? [] : Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
	const groups = [...left, ...fill, ...right].slice(0, 4).map((g) => (parseInt(g || '0', 16) || 0).toString(16));
	return `${groups.join(':')}::/64`;
}

// ——— Markdown for comments ———

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Link targets kept in comments: web and mail addresses, and paths on this site. */
const SAFE_HREF = /^(https?:\/\/|mailto:|\/(?!\/)|#)/i;

const off = () => undefined;
const commentMarked = new Marked({ gfm: true, breaks: true });
commentMarked.use({
	// Not in comments: headings, rules, lists, tables, indented code, strikethrough.
	tokenizer: { heading: off, lheading: off, hr: off, list: off, table: off, code: off, del: off },
	renderer: {
		// Raw HTML is dropped, not escaped (its text between tags stays).
		html: () => '',
		image: ({ text }: Tokens.Image) => escapeHtml(text),
		link(token: Tokens.Link) {
			const label = this.parser.parseInline(token.tokens);
			const href = token.href.trim();
			return SAFE_HREF.test(href) ? `<a href="${escapeHtml(href)}">${label}</a>` : label;
		}
	}
});

const SANITIZE: sanitizeHtml.IOptions = {
	allowedTags: ['p', 'br', 'em', 'strong', 'code', 'pre', 'a', 'blockquote'],
	allowedAttributes: { a: ['href', 'rel'] },
	allowedSchemes: ['http', 'https', 'mailto'],
	allowedSchemesAppliedToAttributes: ['href'],
	allowProtocolRelative: false,
	disallowedTagsMode: 'discard',
	transformTags: {
		a: (_tag, attribs) => ({ tagName: 'a', attribs: { ...(attribs.href ? { href: attribs.href } : {}), rel: 'nofollow ugc noopener' } })
	}
};

/**
 * A comment's text → safe HTML: paragraphs, line breaks, emphasis, strong, code, links
 * (rel="nofollow ugc noopener") and quotes; everything else is shown as text or dropped, then
 * the result goes through sanitize-html with that allow-list.
 */
export function renderComment(body: string): string {
	const hit = rendered.get(body);
	if (hit !== undefined) return hit;
	const html = sanitizeHtml(commentMarked.parse(body, { async: false }), SANITIZE);
	// A bounded memory of recent renderings: a busy post is not re-rendered on every visit.
	if (rendered.size >= RENDER_CACHE) rendered.delete(rendered.keys().next().value!);
	rendered.set(body, html);
	return html;
}
const RENDER_CACHE = 5000;
const rendered = new Map<string, string>();

/** Links in a text: those the renderer would make, or written addresses, whichever is more. */
export function countLinks(body: string): number {
	const rendered = (renderComment(body).match(/<a\s/g) ?? []).length;
	const written = (body.match(/\bhttps?:\/\/|\bwww\./gi) ?? []).length;
	return Math.max(rendered, written);
}

// ——— The public thread ———

export interface PublicComment {
	id: string;
	name: string;
	html: string;
	createdAt: string;
	/** Written by a member of the lab (logged in). */
	member: boolean;
	replies: PublicComment[];
}

/**
 * The approved comments of a post, oldest first, one level deep: a reply to a reply shows under
 * the top-level comment it descends from; a reply whose parent is not approved is not shown.
 */
export async function publicComments(db: Kysely<Database>, labId: string, postId: string): Promise<PublicComment[]> {
	const rows = await db
		.selectFrom('comment as c')
		.where('c.lab_id', '=', labId)
		.where('c.post_id', '=', postId)
		.where('c.state', '=', 'approved')
		.select(['c.id', 'c.parent_id', 'c.name', 'c.body', 'c.created_at'])
		.select((eb) =>
			eb
				.exists(
					eb
						.selectFrom('account as a')
						.innerJoin('membership as m', 'm.account_id', 'a.id')
						.whereRef('a.person_id', '=', 'c.person_id')
						.where('m.lab_id', '=', labId)
						.select('m.id')
				)
				.as('member')
		)
		.orderBy('c.created_at')
		.orderBy('c.id')
		.execute();
	const parentOf = new Map(rows.map((r) => [r.id, r.parent_id]));
	const top = new Map<string, PublicComment>();
	const out: PublicComment[] = [];
	const made = rows.map((r) => ({
		parentId: r.parent_id,
		c: { id: r.id, name: r.name, html: renderComment(r.body), createdAt: r.created_at, member: Boolean(Number(r.member)), replies: [] } as PublicComment
	}));
	for (const { parentId, c } of made) {
		if (parentId) continue;
		top.set(c.id, c);
		out.push(c);
	}
	for (const { parentId, c } of made) {
		if (!parentId) continue;
		// Climbs to the top-level comment; stops (and hides the reply) at a parent that is not shown.
		let root: string = parentId;
		for (let depth = 0; depth < 50; depth++) {
			const up = parentOf.get(root);
			if (!up) break;
			root = up;
		}
		top.get(root)?.replies.push(c);
	}
	return out;
}

// ——— Posting ———

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

const emailSchema = z.string().max(254).pipe(z.email());

async function isLabMember(db: Kysely<Database>, labId: string, accountId: string): Promise<boolean> {
	const m = await db.selectFrom('membership').where('lab_id', '=', labId).where('account_id', '=', accountId).select('id').executeTakeFirst();
	return Boolean(m);
}

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
	if (input.startedAt === null || input.startedAt === undefined || input.startedAt === '' || !Number.isFinite(started) || started > now || now - started < COMMENT_RULES.minFillMs) {
		throw new DomainError('comment.spam.tooFast', 400, { seconds: COMMENT_RULES.minFillMs / 1000 }, 'body');
	}
	const inLab = member ? await isLabMember(db, lab.id, member.accountId) : false;
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
	if (!inLab && countLinks(input.body) > COMMENT_RULES.maxLinks) throw new DomainError('comment.spam.tooManyLinks', 400, { max: COMMENT_RULES.maxLinks }, 'body');
	const row = await db.selectFrom('post').where('id', '=', post.id).where('lab_id', '=', lab.id).where('state', '=', 'published').select(['id', 'title', 'series', 'episode', 'slug', 'comments_open']).executeTakeFirst();
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
			let p = await trx.selectFrom('comment').where('id', '=', input.parentId).where('lab_id', '=', lab.id).where('post_id', '=', row.id).select(['id', 'parent_id', 'state']).executeTakeFirst();
			if (p && p.state !== 'approved') p = undefined;
			// A reply to a reply goes to the top-level comment it answers.
			for (let depth = 0; p?.parent_id && depth < 50; depth++) {
				p = await trx.selectFrom('comment').where('id', '=', p.parent_id).where('lab_id', '=', lab.id).where('post_id', '=', row.id).select(['id', 'parent_id', 'state']).executeTakeFirst();
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
	const [authors, coordinators] = await Promise.all([
		trx
			.selectFrom('post_author as pa')
			.innerJoin('account as a', 'a.person_id', 'pa.person_id')
			.innerJoin('membership as m', 'm.account_id', 'a.id')
			.where('pa.post_id', '=', post.id)
			.where('m.lab_id', '=', lab.id)
			.where('a.disabled_at', 'is', null)
			.select(['a.id', 'a.email'])
			.execute(),
		trx
			.selectFrom('membership as m')
			.innerJoin('account as a', 'a.id', 'm.account_id')
			.where('m.lab_id', '=', lab.id)
			.where('m.role', '=', 'coordinator')
			.where('a.disabled_at', 'is', null)
			.select(['a.id', 'a.email'])
			.execute()
	]);
	const recipients = new Map([...authors, ...coordinators].filter((r) => r.id !== exceptAccountId).map((r) => [r.id, r.email]));
	if (!recipients.size) return;
	const modes = await trx.selectFrom('journal_notify').where('lab_id', '=', lab.id).where('account_id', 'in', [...recipients.keys()]).select(['account_id', 'mode']).execute();
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

// ——— Moderation ———

export interface ModerationRow {
	id: string;
	postId: string;
	postTitle: string;
	postSlug: string;
	postPublished: boolean;
	parentId: string | null;
	name: string;
	html: string;
	member: boolean;
	state: CommentState;
	createdAt: string;
	moderatedAt: string | null;
}

/** One page of the lab's comments in a state (pending by default), newest first, with the count of each state. */
export async function moderationQueue(
	db: Kysely<Database>,
	ctx: LabContext,
	f: { state?: CommentState; page?: number } = {}
): Promise<{ rows: ModerationRow[]; total: number; counts: Record<CommentState, number>; page: number; pageSize: number }> {
	authorize(ctx.role, 'journal.moderate');
	const state = isState(f.state) ? f.state : 'pending';
	const page = Math.max(1, Math.floor(f.page ?? 1));
	const [rows, counts] = await Promise.all([
		db
			.selectFrom('comment as c')
			.innerJoin('post as p', 'p.id', 'c.post_id')
			.where('c.lab_id', '=', ctx.lab.id)
			.where('c.state', '=', state)
			.select(['c.id', 'c.post_id', 'p.title', 'p.series', 'p.episode', 'p.slug', 'p.state as post_state', 'c.parent_id', 'c.name', 'c.body', 'c.person_id', 'c.state', 'c.created_at', 'c.moderated_at'])
			.orderBy('c.created_at', 'desc')
			.orderBy('c.id')
			.limit(MODERATION_PAGE_SIZE)
			.offset((page - 1) * MODERATION_PAGE_SIZE)
			.execute(),
		db.selectFrom('comment').where('lab_id', '=', ctx.lab.id).select('state').select((eb) => eb.fn.countAll().as('n')).groupBy('state').execute()
	]);
	const c = Object.fromEntries(COMMENT_STATES.map((s) => [s, 0])) as Record<CommentState, number>;
	for (const r of counts) if (isState(r.state)) c[r.state] = toCount(r.n);
	return {
		rows: rows.map((r) => ({
			id: r.id,
			postId: r.post_id,
			postTitle: displayTitle(r),
			postSlug: r.slug,
			postPublished: r.post_state === 'published',
			parentId: r.parent_id,
			name: r.name,
			html: renderComment(r.body),
			member: r.person_id !== null,
			state: r.state as CommentState,
			createdAt: r.created_at,
			moderatedAt: r.moderated_at
		})),
		total: c[state],
		counts: c,
		page,
		pageSize: MODERATION_PAGE_SIZE
	};
}

const TO_STATE: Record<ModerationAction, CommentState> = { approve: 'approved', reject: 'rejected', spam: 'spam' };

/** Approves, rejects or marks as spam one or many comments of the lab, all or none. */
export async function moderate(db: Kysely<Database>, ctx: LabContext, ids: string[], action: ModerationAction): Promise<{ count: number }> {
	authorize(ctx.role, 'journal.moderate');
	if (!isModerationAction(action)) throw new DomainError('form.invalidChoice', 400, {}, 'action');
	const unique = [...new Set(ids.filter((x) => typeof x === 'string' && x.length > 0 && x.length <= 64))];
	if (unique.length === 0) throw new DomainError('journal.moderation.noneSelected', 400, {}, 'ids');
	if (unique.length > 500) throw new DomainError('journal.moderation.tooMany', 400, { max: 500 }, 'ids');
	return inTransaction(db, async (trx) => {
		const found = await trx.selectFrom('comment').where('lab_id', '=', ctx.lab.id).where('id', 'in', unique).select('id').execute();
		if (found.length !== unique.length) throw new DomainError('comment.notFound', 404);
		const to = TO_STATE[action];
		await trx
			.updateTable('comment')
			.set({ state: to, moderated_at: nowIso(), moderated_by: ctx.actor?.accountId ?? null })
			.where('lab_id', '=', ctx.lab.id)
			.where('id', 'in', unique)
			.execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'comment.moderate',
			subjectType: 'comment',
			subjectId: unique.length === 1 ? unique[0]! : null,
			summary: { to, count: unique.length, ids: unique.slice(0, 50) }
		});
		return { count: unique.length };
	});
}

// ——— Notification choices and digests ———

/** How the caller hears about new comments in this lab ("each" until they choose). */
export async function notifyMode(db: Kysely<Database>, ctx: LabContext): Promise<NotifyMode> {
	if (!ctx.actor || !ctx.role) throw forbidden();
	const row = await db.selectFrom('journal_notify').where('lab_id', '=', ctx.lab.id).where('account_id', '=', ctx.actor.accountId).select('mode').executeTakeFirst();
	return isNotifyMode(row?.mode) ? row.mode : 'each';
}

export async function setNotifyMode(db: Kysely<Database>, ctx: LabContext, mode: NotifyMode): Promise<void> {
	if (!ctx.actor || !ctx.role) throw forbidden();
	if (!isNotifyMode(mode)) throw new DomainError('form.invalidChoice', 400, {}, 'mode');
	const actor = ctx.actor;
	await inTransaction(db, async (trx) => {
		const row = await trx.selectFrom('journal_notify').where('lab_id', '=', ctx.lab.id).where('account_id', '=', actor.accountId).select(['mode', 'last_digest_at']).executeTakeFirst();
		// Choosing the digest starts its clock: the first one comes a day later, with what arrived since.
		const last = mode === 'digest' ? (row?.mode === 'digest' ? row.last_digest_at : nowIso()) : (row?.last_digest_at ?? null);
		await trx
			.insertInto('journal_notify')
			.values({ lab_id: ctx.lab.id, account_id: actor.accountId, mode, last_digest_at: last })
			.onConflict((oc) => oc.columns(['lab_id', 'account_id']).doUpdateSet({ mode, last_digest_at: last }))
			.execute();
	});
}

/**
 * The daily digests: each member whose choice is "digest", whose last digest is 24 hours old (or
 * who never had one) and who has new comments since — on every post of the lab for coordinators,
 * on the posts they signed for authors — gets one mail listing them. Their own comments, and
 * comments already marked spam or rejected, are left out. Returns the number of mails queued.
 * `origin` makes the links absolute (defaults to ORIGIN from the environment).
 */
export async function sendDigests(db: Kysely<Database>, now: Date = new Date(), origin: string = publicOrigin()): Promise<number> {
	const nowStr = now.toISOString();
	const cutoff = new Date(now.getTime() - COMMENT_RULES.digestEveryMs).toISOString();
	const subscribers = await db
		.selectFrom('journal_notify as n')
		.innerJoin('membership as m', (j) => j.onRef('m.lab_id', '=', 'n.lab_id').onRef('m.account_id', '=', 'n.account_id'))
		.innerJoin('account as a', 'a.id', 'n.account_id')
		.innerJoin('lab as l', 'l.id', 'n.lab_id')
		.where('n.mode', '=', 'digest')
		.where('a.disabled_at', 'is', null)
		.where((eb) => eb.or([eb('n.last_digest_at', 'is', null), eb('n.last_digest_at', '<=', cutoff)]))
		.select(['n.lab_id', 'n.account_id', 'n.last_digest_at', 'm.role', 'a.email', 'a.person_id', 'l.slug', 'l.name'])
		.execute();
	let sent = 0;
	for (const s of subscribers) {
		const since = s.last_digest_at ?? cutoff;
		let q = db
			.selectFrom('comment as c')
			.innerJoin('post as p', 'p.id', 'c.post_id')
			.where('c.lab_id', '=', s.lab_id)
			.where('c.created_at', '>', since)
			.where('c.created_at', '<=', nowStr)
			.where('c.state', 'in', ['pending', 'approved'])
			.where((eb) => eb.or([eb('c.person_id', 'is', null), eb('c.person_id', '!=', s.person_id)]));
		if (s.role !== 'coordinator') {
			q = q.where((eb) => eb.exists(eb.selectFrom('post_author as pa').whereRef('pa.post_id', '=', 'c.post_id').where('pa.person_id', '=', s.person_id).select('pa.post_id')));
		}
		const comments = await q.select(['c.id', 'c.name', 'c.body', 'c.state', 'p.title', 'p.series', 'p.episode', 'p.slug']).orderBy('c.created_at').orderBy('c.id').limit(200).execute();
		if (!comments.length) continue;
		const base = `${origin.replace(/\/+$/, '')}/l/${s.slug}/journal`;
		const items: DigestItem[] = comments.map((c) => ({
			postTitle: displayTitle(c),
			name: c.name,
			pending: c.state === 'pending',
			excerpt: excerpt(c.body, 200),
			url: c.state === 'pending' ? `${base}/moderation` : `${base}/${c.slug}#comment-${c.id}`
		}));
		const queued = await inTransaction(db, async (trx) => {
			// Claims this digest first, so two servers running the job never send it twice.
			let claim = trx.updateTable('journal_notify').set({ last_digest_at: nowStr }).where('lab_id', '=', s.lab_id).where('account_id', '=', s.account_id).where('mode', '=', 'digest');
			claim = s.last_digest_at === null ? claim.where('last_digest_at', 'is', null) : claim.where('last_digest_at', '=', s.last_digest_at);
			const r = await claim.executeTakeFirst();
			if (!Number(r.numUpdatedRows)) return false;
			await enqueueMail(trx, { labId: s.lab_id, to: s.email, ...journalMails.digest({ labName: s.name, items, moderationUrl: `${base}/moderation` }) });
			return true;
		});
		if (queued) sent++;
	}
	return sent;
}

// ——— The commenter's rights ———

const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');
const sign = (labId: string, payload: string) => hmac('erase', `${labId}.${payload}`).toString('base64url');

/** `<email hash>.<expiry>.<signature>`: nothing stored; single use because it erases what it names. */
export function erasureToken(labId: string, hash: string, expiresAtMs: number): string {
	const payload = `${b64(hash)}.${expiresAtMs.toString(36)}`;
	return `${payload}.${sign(labId, payload)}`;
}

function readErasureToken(labId: string, token: string): { hash: string; issuedAt: string } {
	const parts = token.split('.');
	if (parts.length !== 3 || token.length > 200) throw new DomainError('journal.erase.invalid', 404);
	const [h, e, s] = parts as [string, string, string];
	const expected = Buffer.from(sign(labId, `${h}.${e}`));
	const given = Buffer.from(s);
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new DomainError('journal.erase.invalid', 404);
	const hash = Buffer.from(h, 'base64url');
	const exp = parseInt(e, 36);
	if (hash.length !== 32 || !Number.isFinite(exp)) throw new DomainError('journal.erase.invalid', 404);
	if (exp <= Date.now()) throw new DomainError('journal.erase.expired', 410);
	return { hash: hash.toString('hex'), issuedAt: new Date(exp - COMMENT_RULES.erasureTtlMs).toISOString() };
}

/**
 * Someone asks to erase their comments: the answer is the same whatever the address, and a
 * one-hour link is mailed only when comments exist for it. `ip` (when given) limits how often
 * one address may ask.
 */
export async function requestErasure(db: Kysely<Database>, lab: LabSummary, email: string, origin: string, ip?: string): Promise<void> {
	if (ip) {
		const hit = await hitRateLimit(db, ipKey('erase', ip), LIMITS.publicForm);
		if (!hit.allowed) throw new DomainError('journal.erase.tooMany', 429, { minutes: Math.ceil(hit.retryAfterSeconds / 60) }, 'email');
	}
	if (!emailSchema.safeParse(email.trim()).success) return;
	const hash = emailHash(email);
	const any = await db.selectFrom('comment').where('lab_id', '=', lab.id).where('email_hash', '=', hash).select('id').executeTakeFirst();
	if (!any) return;
	const token = erasureToken(lab.id, hash, Date.now() + COMMENT_RULES.erasureTtlMs);
	await inTransaction(db, async (trx) => {
		const url = `${origin.replace(/\/+$/, '')}/l/${lab.slug}/journal/erase/${token}`;
		await enqueueMail(trx, { labId: lab.id, to: email.trim(), ...journalMails.erasure({ labName: lab.name, url, minutes: COMMENT_RULES.erasureTtlMs / 60_000 }) });
		await recordAudit(trx, { labId: lab.id, actorId: null, action: 'comment.erasureRequested', subjectType: 'commenter', subjectId: null, summary: {} });
	});
}

async function commentsOfHash(db: Kysely<Database>, labId: string, hash: string, createdUntil?: string): Promise<string[]> {
	let q = db.selectFrom('comment').where('lab_id', '=', labId).where('email_hash', '=', hash);
	if (createdUntil) q = q.where('created_at', '<=', createdUntil);
	return (await q.select('id').execute()).map((r) => r.id);
}

/** Deletes comments and every reply below them; returns how many went. */
async function deleteWithReplies(trx: Kysely<Database>, labId: string, ids: string[]): Promise<number> {
	const all = new Set(ids);
	let frontier = ids;
	while (frontier.length) {
		const next: string[] = [];
		for (let i = 0; i < frontier.length; i += 500) {
			const kids = await trx.selectFrom('comment').where('lab_id', '=', labId).where('parent_id', 'in', frontier.slice(i, i + 500)).select('id').execute();
			for (const k of kids) if (!all.has(k.id)) (all.add(k.id), next.push(k.id));
		}
		frontier = next;
	}
	const list = [...all];
	// Replies first, so the count does not depend on cascades.
	for (let i = list.length; i > 0; i -= 500) {
		await trx.deleteFrom('comment').where('lab_id', '=', labId).where('id', 'in', list.slice(Math.max(0, i - 500), i)).execute();
	}
	return list.length;
}

/** What an erasure link would erase (for its confirmation page); refused when expired or used. */
export async function checkErasureToken(db: Kysely<Database>, lab: LabSummary, token: string): Promise<{ count: number }> {
	const { hash, issuedAt } = readErasureToken(lab.id, token);
	const ids = await commentsOfHash(db, lab.id, hash, issuedAt);
	if (!ids.length) throw new DomainError('journal.erase.used', 410);
	return { count: ids.length };
}

/** Erases, from a mailed link, the commenter's comments in this lab (written before the link) and the replies to them. */
export async function eraseByToken(db: Kysely<Database>, lab: LabSummary, token: string): Promise<{ erased: number }> {
	const { hash, issuedAt } = readErasureToken(lab.id, token);
	return inTransaction(db, async (trx) => {
		const ids = await commentsOfHash(trx, lab.id, hash, issuedAt);
		if (!ids.length) throw new DomainError('journal.erase.used', 410);
		const erased = await deleteWithReplies(trx, lab.id, ids);
		await recordAudit(trx, { labId: lab.id, actorId: null, action: 'comment.erase', subjectType: 'commenter', subjectId: null, summary: { count: erased, by: 'link' } });
		return { erased };
	});
}

export interface CommenterComment {
	id: string;
	post: { title: string; slug: string };
	parentId: string | null;
	name: string;
	createdAt: string;
	state: CommentState;
	text: string;
}

function checkedEmail(email: string): string {
	const e = email.trim();
	if (!e) throw new DomainError('form.required', 400, {}, 'email');
	if (!emailSchema.safeParse(e).success) throw new DomainError('form.invalidEmail', 400, {}, 'email');
	return e;
}

/** Everything the lab holds from a commenter (found by their address), for them to receive. */
export async function commenterData(db: Kysely<Database>, ctx: LabContext, email: string): Promise<{ comments: CommenterComment[] }> {
	authorize(ctx.role, 'journal.commenters');
	const hash = emailHash(checkedEmail(email));
	const rows = await db
		.selectFrom('comment as c')
		.innerJoin('post as p', 'p.id', 'c.post_id')
		.where('c.lab_id', '=', ctx.lab.id)
		.where('c.email_hash', '=', hash)
		.select(['c.id', 'p.title', 'p.series', 'p.episode', 'p.slug', 'c.parent_id', 'c.name', 'c.created_at', 'c.state', 'c.body'])
		.orderBy('c.created_at')
		.orderBy('c.id')
		.execute();
	await recordAudit(db, { labId: ctx.lab.id, actorId: ctx.actor?.accountId ?? null, action: 'comment.lookup', subjectType: 'commenter', subjectId: null, summary: { count: rows.length } });
	return {
		comments: rows.map((r) => ({
			id: r.id,
			post: { title: displayTitle(r), slug: r.slug },
			parentId: r.parent_id,
			name: r.name,
			createdAt: r.created_at,
			state: r.state as CommentState,
			text: r.body
		}))
	};
}

/** Erases a commenter's comments in this lab (and the replies to them), on their request made to a coordinator. */
export async function eraseCommenter(db: Kysely<Database>, ctx: LabContext, email: string): Promise<{ erased: number }> {
	authorize(ctx.role, 'journal.commenters');
	const hash = emailHash(checkedEmail(email));
	return inTransaction(db, async (trx) => {
		const ids = await commentsOfHash(trx, ctx.lab.id, hash);
		const erased = ids.length ? await deleteWithReplies(trx, ctx.lab.id, ids) : 0;
		await recordAudit(trx, { labId: ctx.lab.id, actorId: ctx.actor?.accountId ?? null, action: 'comment.erase', subjectType: 'commenter', subjectId: null, summary: { count: erased, by: 'coordinator' } });
		return { erased };
	});
}
