/**
 * The public entry of the `members` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { inviteMember, memberChoices } from './members.service';
export { acceptInvitationsFor, addJoinDomain, hasPendingInvitation, JOIN_ROLES, joinByDomain, joinDomainAllows, listJoinDomains, removeJoinDomain, type JoinDomain } from './sso';
