/** Row types of the tables the `links` domain owns (see src/lib/server/architecture.ts). */

export interface LinkTable {
	lab_id: string;
	from_type: string;
	from_id: string;
	to_type: string;
	to_id: string;
}
