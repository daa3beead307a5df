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

/** An account's identity at an OpenID Provider (issuer + subject), used by single sign-on. */
export interface AccountIdentityTable {
	id: string;
	account_id: string;
	issuer: string;
	subject: string;
	/** The e-mail the provider gave at the last sign-in. */
	email: string | null;
	siret: string | null;
	uid: string | null;
	created_at: string;
	last_used_at: string;
}

/** The provider's ID token of a login session opened by single sign-on (for RP-initiated logout). */
export interface SsoSessionTable {
	session_id: string;
	issuer: string;
	id_token: string;
	created_at: string;
}
