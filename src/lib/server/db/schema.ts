/**
 * Row types as both dialects return them: ids are text, timestamps ISO-8601 UTC text,
 * booleans 0/1 integers. Repositories turn rows into domain types.
 */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { AuditEntryTable } from './tables/audit';
import type { PersonTable, AccountTable, SessionTable, PasswordResetTable, AccountIdentityTable, SsoSessionTable } from './tables/auth';
import type { EventTable, EventParticipantTable, EventDecisionTable, CalendarTokenTable } from './tables/events';
import type {
	ExperimentTable,
	ExperimentStatusChangeTable,
	ExperimentMilestoneTable,
	ExperimentRoleTable,
	ExperimentTestTable,
	ExperimentMemberTable
} from './tables/experiments';
import type { FileTable } from './tables/files';
import type {
	FundTable,
	FundCommitteeTable,
	EnvelopeTable,
	FundingRequestTable,
	FundingRequestLineTable,
	LedgerEntryTable,
	FundingRequestCommentTable,
	EnvelopeTotalTable
} from './tables/fund';
import type { InstallSettingTable } from './tables/installation';
import type { ImportJobTable, JobTickTable } from './tables/jobs';
import type { ContentVersionTable } from './tables/publiccache';
import type { PostTable, PostAuthorTable, PostTagTable, CommentTable, RedirectTable, JournalNotifyTable } from './tables/journal';
import type { KnowledgeItemTable, KnowledgeVersionTable, TagTable } from './tables/knowledge';
import type { LabTable } from './tables/labs';
import type { LinkTable } from './tables/links';
import type { OpenDataFileTable } from './tables/opendata';
import type { OutboxMessageTable } from './tables/mail';
import type { MembershipTable, InvitationTable, LabJoinDomainTable } from './tables/members';
import type {
	NetworkSkillTable,
	ReferentTable,
	ReferentSkillTable,
	ReferentUnavailableTable,
	ReferentLinkTable,
	NetworkInvitationTable,
	NetworkCallTable,
	CallAnswerTable,
	CallAssignmentTable
} from './tables/network';
import type { RateLimitTable } from './tables/ratelimit';
import type { SearchDocumentTable } from './tables/search';
import type {
	SessionParticipantTable,
	GroupAttributeTable,
	GroupSessionTable,
	GroupPlanTable,
	GroupMemberTable,
	GroupFacilitatorTable,
	GroupOutputTable
} from './tables/sessions';
import type { SpecificationTable, SpecificationVersionTable } from './tables/specs';

// Each domain's row types live beside the others it owns, in tables/<domain>.ts.
export type * from './tables/audit';
export type * from './tables/auth';
export type * from './tables/events';
export type * from './tables/experiments';
export type * from './tables/files';
export type * from './tables/fund';
export type * from './tables/installation';
export type * from './tables/jobs';
export type * from './tables/journal';
export type * from './tables/knowledge';
export type * from './tables/labs';
export type * from './tables/links';
export type * from './tables/mail';
export type * from './tables/members';
export type * from './tables/network';
export type * from './tables/publiccache';
export type * from './tables/opendata';
export type * from './tables/ratelimit';
export type * from './tables/search';
export type * from './tables/sessions';
export type * from './tables/specs';

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
	content_version: ContentVersionTable;
	account_identity: AccountIdentityTable;
	sso_session: SsoSessionTable;
	lab_join_domain: LabJoinDomainTable;
	open_data_file: OpenDataFileTable;
}

export type Lab = Selectable<LabTable>;
export type NewLab = Insertable<LabTable>;
export type LabUpdate = Updateable<LabTable>;
