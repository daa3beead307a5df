/** Row types of the tables the `knowledge` domain owns (see src/lib/server/architecture.ts). */

export interface KnowledgeItemTable {
	id: string;
	lab_id: string;
	type: string;
	title: string;
	body: string;
	visibility: string;
	source_type: string | null;
	source_id: string | null;
	version: number;
	created_by: string | null;
	created_at: string;
	updated_at: string;
}

export interface KnowledgeVersionTable {
	id: string;
	lab_id: string;
	item_id: string;
	version: number;
	type: string;
	title: string;
	body: string;
	tags: string; // JSON array
	visibility: string;
	author_id: string | null;
	created_at: string;
}

export interface TagTable {
	lab_id: string;
	subject_type: string;
	subject_id: string;
	tag: string;
}
