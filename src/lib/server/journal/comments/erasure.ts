/**
 * The commenter's rights: an erasure link mailed to the address they type (signed, expiring),
 * and, for coordinators, a commenter's data exported or erased on request.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { inTransaction } from '../../db/util';
import { DomainError } from '../../errors';
import { authorize } from '../../policy';
import { recordAudit } from '../../audit';
import { enqueueMail } from '../../mail';
import { hitRateLimit, LIMITS } from '../../ratelimit';
import type { LabContext, LabSummary } from '../../labs';
import { journalMails } from '../../mail';
import { displayTitle } from '$lib/shared/journal';
import { emailHash, hmac, ipKey } from './keys';
import { emailSchema } from './posting';
import { COMMENT_RULES, type CommentState } from './rules';
import { bumpContentVersion } from '../../publiccache';

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
		await enqueueMail(trx, {
			labId: lab.id,
			to: email.trim(),
			...journalMails.erasure({ labName: lab.name, url, minutes: COMMENT_RULES.erasureTtlMs / 60_000 })
		});
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
			const kids = await trx
				.selectFrom('comment')
				.where('lab_id', '=', labId)
				.where('parent_id', 'in', frontier.slice(i, i + 500))
				.select('id')
				.execute();
			for (const k of kids)
				if (!all.has(k.id)) {
					all.add(k.id);
					next.push(k.id);
				}
		}
		frontier = next;
	}
	const list = [...all];
	// Replies first, so the count does not depend on cascades.
	for (let i = list.length; i > 0; i -= 500) {
		await trx
			.deleteFrom('comment')
			.where('lab_id', '=', labId)
			.where('id', 'in', list.slice(Math.max(0, i - 500), i))
			.execute();
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
		await recordAudit(trx, {
			labId: lab.id,
			actorId: null,
			action: 'comment.erase',
			subjectType: 'commenter',
			subjectId: null,
			summary: { count: erased, by: 'link' }
		});
		await bumpContentVersion(trx, lab.id);
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
	await recordAudit(db, {
		labId: ctx.lab.id,
		actorId: ctx.actor?.accountId ?? null,
		action: 'comment.lookup',
		subjectType: 'commenter',
		subjectId: null,
		summary: { count: rows.length }
	});
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
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'comment.erase',
			subjectType: 'commenter',
			subjectId: null,
			summary: { count: erased, by: 'coordinator' }
		});
		await bumpContentVersion(trx, ctx.lab.id);
		return { erased };
	});
}
