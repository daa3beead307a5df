/** Row types of the tables the `journal` domain owns (see src/lib/server/architecture.ts). */

export interface PostTable {
	id: string;
	lab_id: string;
	kind: string;
	slug: string;
	title: string;
	series: string;
	episode: string;
	episode_sort: string;
	excerpt: string;
	body: string;
	cover_file_id: string | null;
	by_lab: number;
	state: string;
	publish_at: string | null;
	published_at: string | null;
	preview_token_hash: string; // sha-256 of the preview link token
	preview_expires_at: string | null; // null: no preview link issued yet
	comments_open: number;
	version: number;
	source_ref: string | null;
	created_by: string | null;
	created_at: string;
	updated_at: string;
}

export interface PostAuthorTable {
	post_id: string;
	person_id: string | null;
	name: string;
	position: number;
}

export interface PostTagTable {
	post_id: string;
	lab_id: string;
	tag: string;
}

export interface CommentTable {
	id: string;
	lab_id: string;
	post_id: string;
	parent_id: string | null;
	person_id: string | null;
	name: string;
	email_hash: string;
	body: string;
	state: string;
	source_ref: string | null;
	created_at: string;
	moderated_at: string | null;
	moderated_by: string | null;
}

export interface RedirectTable {
	id: string;
	lab_id: string;
	from_path: string;
	to_path: string;
}

export interface JournalNotifyTable {
	lab_id: string;
	account_id: string;
	mode: string;
	last_digest_at: string | null;
}
