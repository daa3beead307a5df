/**
 * Row types as both dialects return them: ids are text, timestamps ISO-8601 UTC text,
 * booleans 0/1 integers. Repositories turn rows into domain types.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface LabTable {
	id: string;
	slug: string;
	name: string;
	region: string;
	description: string;
	settings: string; // JSON
	created_at: string;
}

export interface PersonTable {
	id: string;
	name: string;
	email: string | null;
	organisation: string | null;
	created_at: string;
	updated_at: string;
}

export interface AccountTable {
	id: string;
	person_id: string;
	email: string;
	password_hash: string;
	locale: string;
	is_admin: number;
	created_at: string;
	updated_at: string;
}

export interface SessionTable {
	id: string; // sha-256 of the cookie token
	account_id: string;
	expires_at: string;
	created_at: string;
}

export interface MembershipTable {
	id: string;
	lab_id: string;
	account_id: string;
	role: string;
	created_at: string;
	updated_at: string;
}

export interface InvitationTable {
	id: string;
	lab_id: string;
	email: string;
	name: string;
	role: string;
	token_hash: string;
	invited_by: string | null;
	expires_at: string;
	accepted_at: string | null;
	revoked_at: string | null;
	created_at: string;
}

export interface PasswordResetTable {
	token_hash: string;
	account_id: string;
	expires_at: string;
	used_at: string | null;
	created_at: string;
}

export interface AuditEntryTable {
	id: string;
	lab_id: string | null;
	actor_id: string | null;
	action: string;
	subject_type: string;
	subject_id: string | null;
	summary: string; // JSON
	created_at: string;
}

export interface OutboxMessageTable {
	id: string;
	lab_id: string | null;
	to_address: string;
	subject: string;
	text_body: string;
	html_body: string | null;
	state: string; // pending | sent | failed
	attempts: number;
	last_error: string | null;
	next_attempt_at: string;
	created_at: string;
	sent_at: string | null;
}

export interface RateLimitTable {
	key: string;
	count: number;
	reset_at: string;
}

export interface MigrationLock {
	id: Generated<number>;
}

export interface Database {
	lab: LabTable;
	person: PersonTable;
	account: AccountTable;
	session: SessionTable;
	membership: MembershipTable;
	invitation: InvitationTable;
	password_reset: PasswordResetTable;
	audit_entry: AuditEntryTable;
	outbox_message: OutboxMessageTable;
	rate_limit: RateLimitTable;
}

export type Lab = Selectable<LabTable>;
export type NewLab = Insertable<LabTable>;
export type LabUpdate = Updateable<LabTable>;
