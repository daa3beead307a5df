/** Row types of the tables the `members` domain owns (see src/lib/server/architecture.ts). */

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

/** An e-mail domain whose people may join the lab through single sign-on without an invitation. */
export interface LabJoinDomainTable {
	id: string;
	lab_id: string;
	domain: string;
	role: string;
	created_by: string | null;
	created_at: string;
}
