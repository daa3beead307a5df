/** Row types of the tables the `files` domain owns (see src/lib/server/architecture.ts). */

export interface FileTable {
	id: string;
	lab_id: string;
	owner_type: string;
	owner_id: string;
	name: string;
	mime: string;
	size: number;
	sha256: string;
	created_by: string | null;
	created_at: string;
}
