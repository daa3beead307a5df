/** Row types of the tables the `events` domain owns (see src/lib/server/architecture.ts). */
import type { Generated } from 'kysely';

export interface EventTable {
	id: string;
	lab_id: string;
	kind: string;
	title: string;
	starts_at: string;
	ends_at: string;
	place: string;
	online_url: string;
	description: string;
	agenda: string;
	minutes: string;
	created_by: string | null;
	created_at: string;
	updated_at: string;
	/** Set when the event is cancelled (it stays in the history). */
	cancelled_at: string | null;
	cancel_reason: Generated<string>;
}

export interface EventParticipantTable {
	id: string;
	lab_id: string;
	event_id: string;
	person_id: string | null;
	name: string;
	organisation: string;
	role: string;
	attended: number | null;
	position: number;
}

export interface EventDecisionTable {
	id: string;
	lab_id: string;
	event_id: string;
	text: string;
	owner: string;
	due_on: string | null;
	position: number;
}

export interface CalendarTokenTable {
	token_hash: string;
	lab_id: string;
	account_id: string;
	created_at: string;
}
