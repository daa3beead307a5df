/** Row types of the tables the `specs` domain owns (see src/lib/server/architecture.ts). */

export interface SpecificationTable {
	id: string;
	lab_id: string;
	kind: string;
	experiment_id: string | null;
	title: string;
	state: string;
	source: string;
	notes: string;
	rating: number | null;
	operator: string;
	awarded_cents: number | null;
	commitment_id: string | null;
	version: number;
	created_by: string | null;
	created_at: string;
	updated_at: string;
}

export interface SpecificationVersionTable {
	id: string;
	spec_id: string;
	version: number;
	title: string;
	sections: string;
	author_id: string | null;
	created_at: string;
}
