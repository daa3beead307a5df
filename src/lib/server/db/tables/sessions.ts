/** Row types of the tables the `sessions` domain owns (see src/lib/server/architecture.ts). */

export interface SessionParticipantTable {
	id: string;
	lab_id: string;
	event_id: string;
	person_id: string | null;
	name: string;
	email: string;
	organisation: string;
	actor_type: string;
	scale: string;
	directorate: string;
	extra: string; // JSON
	source: string;
	view_token_hash: string; // sha-256 of the participant's link token
	view_expires_at: string | null; // null: no link issued yet
	position: number;
	created_at: string;
}

export interface GroupAttributeTable {
	id: string;
	lab_id: string;
	key: string;
	label: string;
	kind: string;
	position: number;
}

export interface GroupSessionTable {
	event_id: string;
	lab_id: string;
	settings: string;
	updated_at: string;
}

export interface GroupPlanTable {
	id: string;
	lab_id: string;
	event_id: string;
	version: number;
	groups: number;
	settings: string;
	score: number;
	source: string;
	created_by: string | null;
	created_at: string;
}

export interface GroupMemberTable {
	plan_id: string;
	participant_id: string;
	group_index: number;
}

export interface GroupFacilitatorTable {
	plan_id: string;
	group_index: number;
	referent_id: string;
	name: string;
	role: string;
}

export interface GroupOutputTable {
	id: string;
	lab_id: string;
	event_id: string;
	group_index: number;
	knowledge_id: string;
	created_at: string;
}
