/** Row types of the tables the `opendata` domain owns (see src/lib/server/architecture.ts). */

export interface OpenDataFileTable {
	id: string;
	lab_id: string;
	/** `subventions` for now. */
	dataset: string;
	/** A year (`2014`) or `all`. */
	period: string;
	content: string;
	row_count: number;
	published_by: string | null;
	published_at: string;
}
