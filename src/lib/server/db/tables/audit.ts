/** Row types of the tables the `audit` domain owns (see src/lib/server/architecture.ts). */

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
