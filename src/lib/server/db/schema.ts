/**
 * Row types as both dialects return them: ids are text, timestamps ISO-8601 UTC text,
 * booleans 0/1 integers. Repositories turn rows into domain types.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface LabTable {
	id: string;
	slug: string;
	name: string;
	region: string;
	description: string;
	settings: string; // JSON
	created_at: string;
}

export interface PersonTable {
	id: string;
	name: string;
	email: string | null;
	organisation: string | null;
	created_at: string;
	updated_at: string;
}

export interface AccountTable {
	id: string;
	person_id: string;
	email: string;
	password_hash: string;
	locale: string;
	is_admin: number;
	/** Set while an installation admin has disabled the account (no login, no session, no mail). */
	disabled_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface SessionTable {
	id: string; // sha-256 of the cookie token
	account_id: string;
	expires_at: string;
	created_at: string;
}

export interface MembershipTable {
	id: string;
	lab_id: string;
	account_id: string;
	role: string;
	created_at: string;
	updated_at: string;
}

export interface InvitationTable {
	id: string;
	lab_id: string;
	email: string;
	name: string;
	role: string;
	token_hash: string;
	invited_by: string | null;
	expires_at: string;
	accepted_at: string | null;
	revoked_at: string | null;
	created_at: string;
}

export interface PasswordResetTable {
	token_hash: string;
	account_id: string;
	expires_at: string;
	used_at: string | null;
	created_at: string;
}

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

export interface OutboxMessageTable {
	id: string;
	lab_id: string | null;
	to_address: string;
	subject: string;
	text_body: string;
	html_body: string | null;
	state: string; // pending | sending | sent | failed
	attempts: number;
	last_error: string | null;
	next_attempt_at: string;
	created_at: string;
	sent_at: string | null;
	attachments: string | null; // JSON: [{ filename, contentType, content }]
	/** The Message-ID header, fixed when queued (null for mails queued before it existed). */
	message_id: string | null;
	/** The server sending it (state `sending`) and until when its claim holds. */
	claimed_by: string | null;
	lease_until: string | null;
}

export interface RateLimitTable {
	key: string;
	count: number;
	reset_at: string;
}

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

export interface ExperimentTable {
	id: string;
	lab_id: string;
	title: string;
	scenario: string;
	summary: string;
	sponsor: string;
	operator: string;
	partners: string;
	lineage_type: string | null;
	lineage_id: string | null;
	status: string;
	conclusions: string;
	created_by: string | null;
	created_at: string;
	updated_at: string;
	published: Generated<number>;
}
export interface ExperimentStatusChangeTable {
	id: string;
	lab_id: string;
	experiment_id: string;
	from_status: string | null;
	to_status: string;
	changed_at: string;
	actor_id: string | null;
}
export interface ExperimentMilestoneTable {
	id: string;
	lab_id: string;
	experiment_id: string;
	title: string;
	due_on: string;
	state: string;
}
export interface ExperimentRoleTable {
	id: string;
	lab_id: string;
	experiment_id: string;
	responsibility: string;
	person_name: string;
	/** The lab member or network referent, when it is someone known (null: someone from outside). */
	person_id: string | null;
	estimated_days: number;
	actual_days: number;
}
export interface ExperimentTestTable {
	id: string;
	lab_id: string;
	experiment_id: string;
	knowledge_id: string;
	verdict: string | null;
	evidence: string;
}
export interface ExperimentMemberTable {
	lab_id: string;
	experiment_id: string;
	account_id: string;
}

export interface FundTable {
	id: string;
	lab_id: string;
	name: string;
	deciders: string; // coordinator | committee
	created_at: string;
}
export interface FundCommitteeTable {
	fund_id: string;
	account_id: string;
}
export interface EnvelopeTable {
	id: string;
	lab_id: string;
	fund_id: string;
	year: number;
	amount_cents: number;
	created_at: string;
}
export interface FundingRequestTable {
	id: string;
	lab_id: string;
	envelope_id: string;
	experiment_id: string;
	title: string;
	amount_cents: number;
	justification: string;
	state: string;
	decided_amount_cents: number | null;
	decision_reason: string | null;
	decided_by: string | null;
	decided_at: string | null;
	submitted_at: string | null;
	created_by: string | null;
	created_at: string;
	updated_at: string;
}
export interface FundingRequestLineTable {
	id: string;
	request_id: string;
	label: string;
	category: string;
	amount_cents: number;
	position: number;
}
export interface LedgerEntryTable {
	id: string;
	lab_id: string;
	envelope_id: string;
	experiment_id: string;
	kind: string; // allocation | commitment | payment | release | reversal
	amount_cents: number;
	request_id: string | null;
	commitment_id: string | null;
	reverses_id: string | null;
	reference: string;
	category: string;
	author_id: string | null;
	created_at: string;
}

export interface FundingRequestCommentTable {
	id: string;
	request_id: string;
	author_id: string | null;
	body: string;
	created_at: string;
}

export interface EnvelopeTotalTable {
	envelope_id: string;
	kind: string;
	amount_cents: number;
}

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

export interface CalendarTokenTable {
	token_hash: string;
	lab_id: string;
	account_id: string;
	created_at: string;
}

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

export interface LinkTable {
	lab_id: string;
	from_type: string;
	from_id: string;
	to_type: string;
	to_id: string;
}

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

export interface NetworkSkillTable {
	id: string;
	lab_id: string;
	label: string;
	position: number;
}
export interface ReferentTable {
	id: string;
	lab_id: string;
	person_id: string;
	directorate: string;
	service: string;
	territory: string;
	languages: string;
	days_per_month: number;
	bio: string;
	consent_version: string;
	consent_at: string;
	withdrawn_at: string | null;
	erasure_requested_at: string | null;
	created_at: string;
	updated_at: string;
}
export interface ReferentSkillTable {
	referent_id: string;
	skill_id: string;
}
export interface ReferentUnavailableTable {
	id: string;
	referent_id: string;
	from_day: string;
	to_day: string;
}
export interface ReferentLinkTable {
	token_hash: string;
	referent_id: string;
	expires_at: string;
	created_at: string;
}
export interface NetworkInvitationTable {
	id: string;
	lab_id: string;
	email: string;
	name: string;
	profile: string; // JSON
	row_hash: string;
	token_hash: string;
	expires_at: string | null;
	accepted_at: string | null;
	created_at: string;
	updated_at: string;
}
export interface ImportJobTable {
	id: string;
	lab_id: string;
	kind: string;
	state: string;
	file_name: string;
	total: number;
	done: number;
	payload: string;
	result: string;
	created_by: string | null;
	created_at: string;
	updated_at: string;
	/** Runs started (a lapsed lease counts as one); the job fails at `max_attempts`. */
	attempts: Generated<number>;
	max_attempts: Generated<number>;
	/** The worker running it and until when its lease holds (renewed while it runs). */
	claimed_by: string | null;
	lease_until: string | null;
	/** A queued job waits until then (backoff after a failed attempt). */
	run_after: string | null;
	/** The last attempt's error message (for logs and the coordinator). */
	error: string | null;
	started_at: string | null;
	finished_at: string | null;
}
/** One row per periodic task: the server that moves `next_run_at` forward runs it. */
export interface JobTickTable {
	name: string;
	next_run_at: string;
	claimed_by: string | null;
	last_run_at: string | null;
}
export interface NetworkCallTable {
	id: string;
	lab_id: string;
	event_id: string;
	needed: number;
	min_level: string;
	pair_novices: number;
	skills: string; // JSON ids
	deadline: string;
	message: string;
	state: string;
	sent_at: string | null;
	created_by: string | null;
	created_at: string;
}
export interface CallAnswerTable {
	id: string;
	call_id: string;
	referent_id: string;
	token_hash: string | null;
	answer: string | null;
	answered_at: string | null;
	sent_at: string;
}
export interface CallAssignmentTable {
	id: string;
	call_id: string;
	referent_id: string;
	role: string;
	confirmed_at: string;
	reminded_at: string | null;
}

export interface SessionParticipantTable {
	id: string;
	lab_id: string;
	event_id: string;
	person_id: string | null;
	name: string;
	email: string;
	organisation: string;
	actor_type: string;
	scale: string;
	directorate: string;
	extra: string; // JSON
	source: string;
	view_token_hash: string; // sha-256 of the participant's link token
	view_expires_at: string | null; // null: no link issued yet
	position: number;
	created_at: string;
}
export interface GroupAttributeTable {
	id: string;
	lab_id: string;
	key: string;
	label: string;
	kind: string;
	position: number;
}
export interface GroupSessionTable {
	event_id: string;
	lab_id: string;
	settings: string;
	updated_at: string;
}
export interface GroupPlanTable {
	id: string;
	lab_id: string;
	event_id: string;
	version: number;
	groups: number;
	settings: string;
	score: number;
	source: string;
	created_by: string | null;
	created_at: string;
}
export interface GroupMemberTable {
	plan_id: string;
	participant_id: string;
	group_index: number;
}
export interface GroupFacilitatorTable {
	plan_id: string;
	group_index: number;
	referent_id: string;
	name: string;
	role: string;
}
export interface GroupOutputTable {
	id: string;
	lab_id: string;
	event_id: string;
	group_index: number;
	knowledge_id: string;
	created_at: string;
}

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

export interface InstallSettingTable {
	key: string;
	value: string;
	updated_at: string;
}

export interface Database {
	lab: LabTable;
	person: PersonTable;
	account: AccountTable;
	session: SessionTable;
	membership: MembershipTable;
	invitation: InvitationTable;
	password_reset: PasswordResetTable;
	audit_entry: AuditEntryTable;
	outbox_message: OutboxMessageTable;
	rate_limit: RateLimitTable;
	event: EventTable;
	event_participant: EventParticipantTable;
	event_decision: EventDecisionTable;
	file: FileTable;
	calendar_token: CalendarTokenTable;
	fund: FundTable;
	fund_committee: FundCommitteeTable;
	envelope: EnvelopeTable;
	funding_request: FundingRequestTable;
	funding_request_line: FundingRequestLineTable;
	ledger_entry: LedgerEntryTable;
	envelope_total: EnvelopeTotalTable;
	funding_request_comment: FundingRequestCommentTable;
	specification: SpecificationTable;
	specification_version: SpecificationVersionTable;
	experiment: ExperimentTable;
	experiment_status_change: ExperimentStatusChangeTable;
	experiment_milestone: ExperimentMilestoneTable;
	experiment_role: ExperimentRoleTable;
	experiment_test: ExperimentTestTable;
	experiment_member: ExperimentMemberTable;
	knowledge_item: KnowledgeItemTable;
	knowledge_version: KnowledgeVersionTable;
	tag: TagTable;
	link: LinkTable;
	search_document: SearchDocumentTable;
	network_skill: NetworkSkillTable;
	referent: ReferentTable;
	referent_skill: ReferentSkillTable;
	referent_unavailable: ReferentUnavailableTable;
	referent_link: ReferentLinkTable;
	network_invitation: NetworkInvitationTable;
	import_job: ImportJobTable;
	job_tick: JobTickTable;
	network_call: NetworkCallTable;
	call_answer: CallAnswerTable;
	call_assignment: CallAssignmentTable;
	session_participant: SessionParticipantTable;
	group_attribute: GroupAttributeTable;
	group_session: GroupSessionTable;
	group_plan: GroupPlanTable;
	group_member: GroupMemberTable;
	group_facilitator: GroupFacilitatorTable;
	group_output: GroupOutputTable;
	post: PostTable;
	post_author: PostAuthorTable;
	post_tag: PostTagTable;
	comment: CommentTable;
	redirect: RedirectTable;
	journal_notify: JournalNotifyTable;
	install_setting: InstallSettingTable;
}

export type Lab = Selectable<LabTable>;
export type NewLab = Insertable<LabTable>;
export type LabUpdate = Updateable<LabTable>;
