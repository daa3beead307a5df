import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';

// Links that open something without an account are stored as SHA-256 hashes and expire:
// journal preview links, co-production session participant links, referent-network
// invitations. Existing plaintext tokens are hashed in place and given the normal lifetime
// from now, so links already handed out keep working until then. Mails already sent lose their
// links (and attachments): the outbox keeps who, what and when, not live tokens.
//
// Self-contained (no app imports): the lifetimes and the marker are repeated here on purpose.

const DAY = 24 * 60 * 60_000;
const PREVIEW_TTL_MS = 30 * DAY;
const PARTICIPANT_TTL_MS = 30 * DAY;
const INVITATION_TTL_MS = 30 * DAY;
const LINK_REMOVED = '[lien retiré après envoi / link removed after sending]';
const URL_RE = /\bhttps?:\/\/[^\s<>"')\]]+/gi;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

export async function up(db: Kysely<any>): Promise<void> {
	// Journal preview links.
	await db.schema.alterTable('post').renameColumn('preview_token', 'preview_token_hash').execute();
	await db.schema.alterTable('post').addColumn('preview_expires_at', 'text').execute();
	const posts = (await db.selectFrom('post').select(['id', 'preview_token_hash']).execute()) as { id: string; preview_token_hash: string }[];
	const previewUntil = inMs(PREVIEW_TTL_MS);
	for (const p of posts) {
		await db
			.updateTable('post')
			.set({ preview_token_hash: sha256(p.preview_token_hash), preview_expires_at: previewUntil })
			.where('id', '=', p.id)
			.execute();
	}

	// Participant links of co-production sessions.
	await db.schema.alterTable('session_participant').renameColumn('view_token', 'view_token_hash').execute();
	await db.schema.alterTable('session_participant').addColumn('view_expires_at', 'text').execute();
	const participants = (await db.selectFrom('session_participant').select(['id', 'view_token_hash']).execute()) as { id: string; view_token_hash: string }[];
	const viewUntil = inMs(PARTICIPANT_TTL_MS);
	for (const p of participants) {
		await db
			.updateTable('session_participant')
			.set({ view_token_hash: sha256(p.view_token_hash), view_expires_at: viewUntil })
			.where('id', '=', p.id)
			.execute();
	}

	// Referent-network invitations were already hashed; they now expire too.
	await db.schema.alterTable('network_invitation').addColumn('expires_at', 'text').execute();
	await db
		.updateTable('network_invitation')
		.set({ expires_at: inMs(INVITATION_TTL_MS) })
		.execute();

	// Sent mails no longer hold live links.
	const sent = (await db.selectFrom('outbox_message').where('state', '=', 'sent').select(['id', 'text_body', 'html_body', 'attachments']).execute()) as {
		id: string;
		text_body: string;
		html_body: string | null;
		attachments: string | null;
	}[];
	for (const m of sent) {
		await db
			.updateTable('outbox_message')
			.set({
				text_body: m.text_body.replace(URL_RE, LINK_REMOVED),
				html_body: m.html_body === null ? null : m.html_body.replace(URL_RE, LINK_REMOVED),
				attachments: null
			})
			.where('id', '=', m.id)
			.execute();
	}
}

export async function down(): Promise<void> {
	// A hash cannot be turned back into its link.
	throw new Error('Not reversible');
}
