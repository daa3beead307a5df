import nodemailer, { type Transporter } from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { nowIso } from '../db/util';
import { log } from '../log';
import { onOutboxEnqueue, redactedAfterSend } from './outbox';

const MAX_ATTEMPTS = 8;

export function createTransport(smtpUrl: string): Transporter {
	return nodemailer.createTransport(smtpUrl);
}

/**
 * Sends what is due in the outbox, oldest first. A failed send is retried later with
 * exponential backoff; after MAX_ATTEMPTS the message is marked failed and stays visible.
 * A sent message keeps its recipient, subject and text with its links replaced by a marker.
 */
export async function drainOutbox(
	db: Kysely<Database>,
	transport: Transporter,
	from: string,
	batch = 20
): Promise<{ sent: number; failed: number }> {
	const due = await db
		.selectFrom('outbox_message')
		.where('state', '=', 'pending')
		.where('next_attempt_at', '<=', nowIso())
		.orderBy('created_at')
		.limit(batch)
		.selectAll()
		.execute();
	let sent = 0;
	let failed = 0;
	for (const m of due) {
		try {
			await transport.sendMail({
				from,
				to: m.to_address,
				subject: m.subject,
				text: m.text_body,
				html: m.html_body ?? undefined,
				attachments: m.attachments ? (JSON.parse(m.attachments) as { filename: string; contentType: string; content: string }[]) : undefined
			});
			await db
				.updateTable('outbox_message')
				// Recipient, subject and state stay; links (live tokens) and attachments go.
				.set({ state: 'sent', sent_at: nowIso(), attempts: m.attempts + 1, last_error: null, ...redactedAfterSend(m) })
				.where('id', '=', m.id)
				.execute();
			sent++;
		} catch (err) {
			const attempts = m.attempts + 1;
			const delay = Math.min(60 * 60_000, 2 ** attempts * 1000);
			await db
				.updateTable('outbox_message')
				.set({
					attempts,
					last_error: err instanceof Error ? err.message.slice(0, 500) : String(err),
					state: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
					next_attempt_at: new Date(Date.now() + delay).toISOString()
				})
				.where('id', '=', m.id)
				.execute();
			failed++;
			log.warn('mail.sendFailed', { id: m.id, attempts });
		}
	}
	return { sent, failed };
}

/** Drains the outbox every few seconds and as soon as a mail is queued. Returns a stop function. */
export function startOutboxWorker(db: Kysely<Database>, smtpUrl: string, from: string, everyMs = 5000): () => void {
	const transport = createTransport(smtpUrl);
	let running = false;
	let again = false;
	const tick = async () => {
		if (running) {
			again = true;
			return;
		}
		running = true;
		try {
			do {
				again = false;
				await drainOutbox(db, transport, from);
			} while (again);
		} catch (err) {
			log.error('mail.workerError', { error: err instanceof Error ? err.message : String(err) });
		} finally {
			running = false;
		}
	};
	const timer = setInterval(tick, everyMs);
	timer.unref();
	onOutboxEnqueue(() => void tick());
	void tick();
	return () => {
		clearInterval(timer);
		onOutboxEnqueue(null);
		transport.close();
	};
}
