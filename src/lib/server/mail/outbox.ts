import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { newId, nowIso, toCount } from '../db/util';
import { authorize } from '../policy';
import { env } from '../env';
import { DomainError } from '../errors';
import { recordAudit } from '../audit';
import type { LabContext } from '../labs';

export interface MailInput {
	labId: string | null;
	to: string;
	subject: string;
	text: string;
	html?: string | null;
	/** Small files sent with the mail (a calendar invitation); content is UTF-8 text. */
	attachments?: MailAttachment[];
}

export interface MailAttachment {
	filename: string;
	contentType: string;
	content: string;
}

/** The domain of Message-IDs: the sender address's. */
function mailDomain(): string {
	try {
		const m = /@([^\s>]+)>?\s*$/.exec(env().MAIL_FROM);
		if (m) return m[1]!.toLowerCase();
	} catch {
		// An invalid configuration is reported where it is used; ids still need a domain.
	}
	return 'labo.localhost';
}

/**
 * A message's Message-ID, fixed when it is queued: a message sent twice (its server stopped
 * after the SMTP server accepted it, before it was marked sent) reaches its recipient with the
 * same id, which mail clients and servers recognise as one message.
 */
export function messageIdFor(id: string): string {
	return `<${id}@${mailDomain()}>`;
}

/** Queues a mail in the same transaction as the write that causes it (transactional outbox). */
export async function enqueueMail(db: Kysely<Database>, m: MailInput): Promise<string> {
	const id = newId();
	const now = nowIso();
	await db
		.insertInto('outbox_message')
		.values({
			id,
			lab_id: m.labId,
			to_address: m.to,
			subject: m.subject,
			text_body: m.text,
			html_body: m.html ?? null,
			state: 'pending',
			attempts: 0,
			last_error: null,
			next_attempt_at: now,
			created_at: now,
			sent_at: null,
			attachments: m.attachments?.length ? JSON.stringify(m.attachments) : null,
			message_id: messageIdFor(id)
		})
		.execute();
	notifyOutbox();
	return id;
}

/** The outbox page's "Resend" button: a failed message is queued again, its attempts starting over. */
export async function resendMessage(db: Kysely<Database>, ctx: LabContext, id: string): Promise<void> {
	authorize(ctx.role, 'outbox.view');
	const row = await db
		.selectFrom('outbox_message')
		.where('id', '=', id)
		.where('lab_id', '=', ctx.lab.id)
		.select(['state', 'to_address', 'subject'])
		.executeTakeFirst();
	if (!row) throw new DomainError('outbox.notFound', 404);
	const r = await db
		.updateTable('outbox_message')
		.set({ state: 'pending', attempts: 0, next_attempt_at: nowIso(), claimed_by: null, lease_until: null })
		.where('id', '=', id)
		.where('state', '=', 'failed')
		.executeTakeFirst();
	if (Number(r.numUpdatedRows) !== 1) throw new DomainError('outbox.notFailed', 409);
	await recordAudit(db, {
		labId: ctx.lab.id,
		actorId: ctx.actor?.accountId ?? null,
		action: 'outbox.resend',
		subjectType: 'outbox_message',
		subjectId: id,
		summary: { to: row.to_address, subject: row.subject }
	});
	notifyOutbox();
}

/** What replaces a link in a mail once it was sent. */
export const LINK_REMOVED = '[lien retiré après envoi / link removed after sending]';
const URL_RE = /\bhttps?:\/\/[^\s<>"')\]]+/gi;

/**
 * A sent mail's text without its links: they may carry tokens (password reset, invitations,
 * personal links) that must not stay readable in the outbox once they reached their recipient.
 */
export function redactLinks(text: string): string {
	return text.replace(URL_RE, LINK_REMOVED);
}

/** The columns a sent mail keeps: its text and HTML without links, and no attachments. */
export function redactedAfterSend(m: { text_body: string; html_body: string | null }) {
	return { text_body: redactLinks(m.text_body), html_body: m.html_body === null ? null : redactLinks(m.html_body), attachments: null };
}

let listener: (() => void) | null = null;
/** The worker registers here to be woken as soon as a mail is queued. */
export function onOutboxEnqueue(fn: (() => void) | null): void {
	listener = fn;
}
function notifyOutbox() {
	// Runs after the current tick so the enqueuing transaction has committed.
	if (listener) setTimeout(listener, 50);
}

/** What became of a message: waiting to be sent, sent, or given up after its attempts. */
export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxRow {
	id: string;
	to: string;
	subject: string;
	text: string;
	state: OutboxState;
	attempts: number;
	lastError: string | null;
	createdAt: string;
	sentAt: string | null;
}

export const OUTBOX_PAGE_SIZE = 50;

export async function listOutbox(
	db: Kysely<Database>,
	ctx: LabContext,
	opts: { state?: string; page?: number }
): Promise<{ rows: OutboxRow[]; total: number }> {
	authorize(ctx.role, 'outbox.view');
	let q = db.selectFrom('outbox_message').where('lab_id', '=', ctx.lab.id);
	if (opts.state) q = q.where('state', '=', opts.state);
	const page = Math.max(1, opts.page ?? 1);
	const [rows, total] = await Promise.all([
		q
			.selectAll()
			.orderBy('created_at', 'desc')
			.limit(OUTBOX_PAGE_SIZE)
			.offset((page - 1) * OUTBOX_PAGE_SIZE)
			.execute(),
		q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
	]);
	return {
		rows: rows.map((r) => ({
			id: r.id,
			to: r.to_address,
			subject: r.subject,
			text: r.text_body,
			state: r.state as OutboxState,
			attempts: r.attempts,
			lastError: r.last_error,
			createdAt: r.created_at,
			sentAt: r.sent_at
		})),
		total: toCount(total.n)
	};
}
