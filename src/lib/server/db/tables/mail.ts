/** Row types of the tables the `mail` domain owns (see src/lib/server/architecture.ts). */

export interface OutboxMessageTable {
	id: string;
	lab_id: string | null;
	to_address: string;
	subject: string;
	text_body: string;
	html_body: string | null;
	state: string; // pending | sending | sent | failed
	attempts: number;
	last_error: string | null;
	next_attempt_at: string;
	created_at: string;
	sent_at: string | null;
	attachments: string | null; // JSON: [{ filename, contentType, content }]
	/** The Message-ID header, fixed when queued (null for mails queued before it existed). */
	message_id: string | null;
	/** The server sending it (state `sending`) and until when its claim holds. */
	claimed_by: string | null;
	lease_until: string | null;
}
