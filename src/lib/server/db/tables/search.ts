/** Row types of the tables the `search` domain owns (see src/lib/server/architecture.ts). */

export interface SearchDocumentTable {
	doc_type: string;
	doc_id: string;
	lab_id: string;
	title: string;
	body: string;
	subtype: string;
	status: string;
	visibility: string;
	doc_date: string;
	tags: string; // space-separated
	audience: string;
	fts_rowid: number | null;
}
