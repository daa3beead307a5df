/** Row types of the tables the `auth` domain owns (see src/lib/server/architecture.ts). */

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
	/** Set while an installation admin has disabled the account (no login, no session, no mail). */
	disabled_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface SessionTable {
	id: string; // sha-256 of the cookie token
	account_id: string;
	expires_at: string;
	created_at: string;
}

export interface PasswordResetTable {
	token_hash: string;
	account_id: string;
	expires_at: string;
	used_at: string | null;
	created_at: string;
}
