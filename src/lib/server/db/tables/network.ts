/** Row types of the tables the `network` domain owns (see src/lib/server/architecture.ts). */

export interface NetworkSkillTable {
	id: string;
	lab_id: string;
	label: string;
	position: number;
}

export interface ReferentTable {
	id: string;
	lab_id: string;
	person_id: string;
	directorate: string;
	service: string;
	territory: string;
	languages: string;
	days_per_month: number;
	bio: string;
	consent_version: string;
	consent_at: string;
	withdrawn_at: string | null;
	erasure_requested_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface ReferentSkillTable {
	referent_id: string;
	skill_id: string;
}

export interface ReferentUnavailableTable {
	id: string;
	referent_id: string;
	from_day: string;
	to_day: string;
}

export interface ReferentLinkTable {
	token_hash: string;
	referent_id: string;
	expires_at: string;
	created_at: string;
}

export interface NetworkInvitationTable {
	id: string;
	lab_id: string;
	email: string;
	name: string;
	profile: string; // JSON
	row_hash: string;
	token_hash: string;
	expires_at: string | null;
	accepted_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface NetworkCallTable {
	id: string;
	lab_id: string;
	event_id: string;
	needed: number;
	min_level: string;
	pair_novices: number;
	skills: string; // JSON ids
	deadline: string;
	message: string;
	state: string;
	sent_at: string | null;
	created_by: string | null;
	created_at: string;
}

export interface CallAnswerTable {
	id: string;
	call_id: string;
	referent_id: string;
	token_hash: string | null;
	answer: string | null;
	answered_at: string | null;
	sent_at: string;
}

export interface CallAssignmentTable {
	id: string;
	call_id: string;
	referent_id: string;
	role: string;
	confirmed_at: string;
	reminded_at: string | null;
}
