import nodemailer, { type Transporter } from 'nodemailer';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../db/schema';
import { nowIso } from '../db/util';
import { log } from '../log';
import { isPostgres, sqliteImmediate } from '../jobs/claim';
import { newWorkerId } from '../jobs/worker';
import { messageIdFor, onOutboxEnqueue, redactedAfterSend } from './outbox';

const MAX_ATTEMPTS = 8;
/** Messages claimed at once by a server. */
const BATCH = 20;

export function createTransport(smtpUrl: string): Transporter {
	return nodemailer.createTransport(smtpUrl);
}

/** How long a claimed batch is this server's; past it, a message still `sending` is claimable again. */
export const OUTBOX_LEASE_MS = 5 * 60_000;

type OutboxRow = Selectable<Database['outbox_message']>;

/**
 * Claims up to `batch` due messages for `workerId` (state `sending`, with a lease), atomically
 * across servers: PostgreSQL skips rows another server is claiming; SQLite holds the write lock
 * between the read and the update. A message left `sending` by a server that stopped is due
 * again once its lease lapsed. Each claim counts an attempt.
 */
export async function claimOutbox(db: Kysely<Database>, workerId: string, batch: number, leaseMs = OUTBOX_LEASE_MS): Promise<OutboxRow[]> {
	const now = nowIso();
	const set = { state: 'sending', claimed_by: workerId, lease_until: new Date(Date.now() + leaseMs).toISOString(), attempts: sql<number>`attempts + 1` };
	const due = (q: any) =>
		q.where((eb: any) =>
			eb.or([eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', now)]), eb.and([eb('state', '=', 'sending'), eb('lease_until', '<', now)])])
		);
	let rows: OutboxRow[];
	if (isPostgres(db)) {
		rows = await db
			.updateTable('outbox_message')
			.set(set)
			.where('id', 'in', (eb) => due(eb.selectFrom('outbox_message').select('id')).orderBy('created_at').limit(batch).forUpdate().skipLocked())
			.returningAll()
			.execute();
	} else {
		rows = await sqliteImmediate(db, async (conn) => {
			const ids = (await due(conn.selectFrom('outbox_message').select('id')).orderBy('created_at').limit(batch).execute()).map((r: { id: string }) => r.id);
			if (!ids.length) return [];
			return conn.updateTable('outbox_message').set(set).where('id', 'in', ids).returningAll().execute();
		});
	}
	return rows.sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/**
 * Sends what is due in the outbox, oldest first, each message claimed before it is sent (so
 * several servers draining together send it once) and marked sent once the SMTP server
 * accepted it. A failed send is retried later with exponential backoff; after MAX_ATTEMPTS the
 * message is marked failed and stays visible (the outbox page can resend it). A sent message
 * keeps its recipient, subject and text with its links replaced by a marker.
 * Each message's claim is renewed just before it is sent, so a batch that outlasts its lease
 * never sends what another server claimed meanwhile. If the server stops between "accepted" and
 * "marked sent", the message is sent again once its claim lapses, with the same Message-ID: at
 * most one duplicate, recognisable as such.
 */
export async function drainOutbox(
	db: Kysely<Database>,
	transport: Transporter,
	from: string,
	batch = 20,
	opts: { workerId?: string; leaseMs?: number } = {}
): Promise<{ sent: number; failed: number }> {
	const workerId = opts.workerId ?? newWorkerId();
	const due = await claimOutbox(db, workerId, batch, opts.leaseMs);
	let sent = 0;
	let failed = 0;
	const leaseMs = opts.leaseMs ?? OUTBOX_LEASE_MS;
	for (const m of due) {
		// Still ours, for another lease? A batch slower than its lease (a stalled SMTP server)
		// may have been claimed again by another server: what it holds now is not sent here.
		const held = await db
			.updateTable('outbox_message')
			.set({ lease_until: new Date(Date.now() + leaseMs).toISOString() })
			.where('id', '=', m.id)
			.where('claimed_by', '=', workerId)
			.where('state', '=', 'sending')
			.executeTakeFirst();
		if (Number(held.numUpdatedRows) !== 1) continue;
		try {
			await transport.sendMail({
				from,
				to: m.to_address,
				subject: m.subject,
				text: m.text_body,
				html: m.html_body ?? undefined,
				messageId: m.message_id ?? messageIdFor(m.id),
				attachments: m.attachments ? (JSON.parse(m.attachments) as { filename: string; contentType: string; content: string }[]) : undefined
			});
			await db
				.updateTable('outbox_message')
				// Recipient, subject and state stay; links (live tokens) and attachments go.
				.set({ state: 'sent', sent_at: nowIso(), last_error: null, claimed_by: null, lease_until: null, ...redactedAfterSend(m) })
				.where('id', '=', m.id)
				.where('claimed_by', '=', workerId)
				.execute();
			sent++;
		} catch (err) {
			const attempts = m.attempts;
			const delay = Math.min(60 * 60_000, 2 ** attempts * 1000);
			await db
				.updateTable('outbox_message')
				.set({
					last_error: err instanceof Error ? err.message.slice(0, 500) : String(err),
					state: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
					next_attempt_at: new Date(Date.now() + delay).toISOString(),
					claimed_by: null,
					lease_until: null
				})
				.where('id', '=', m.id)
				.where('claimed_by', '=', workerId)
				.execute();
			failed++;
			log.warn('mail.sendFailed', { id: m.id, attempts });
		}
	}
	return { sent, failed };
}

/** Drains the outbox every few seconds and as soon as a mail is queued. Returns a stop function. */
export function startOutboxWorker(
	db: Kysely<Database>,
	smtpUrl: string,
	from: string,
	everyMs = 5000,
	workerId = newWorkerId(),
	leaseMs = OUTBOX_LEASE_MS
): () => void {
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
			// Batch after batch while there is a full one to send: a burst of mail (an import's
			// invitations) goes out at the SMTP server's pace, not 20 messages per poll.
			let full = false;
			do {
				again = false;
				const r = await drainOutbox(db, transport, from, BATCH, { workerId, leaseMs });
				full = r.sent + r.failed === BATCH;
			} while (again || full);
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
