/** Row types of the tables the `labs` domain owns (see src/lib/server/architecture.ts). */

export interface LabTable {
	id: string;
	slug: string;
	name: string;
	region: string;
	description: string;
	settings: string; // JSON
	created_at: string;
}
