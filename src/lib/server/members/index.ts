/**
 * The public entry of the `members` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { inviteMember, memberChoices } from './members.service';
export { memberPeopleNamed, membersAmong } from './lookup';
export { expiringInvitationsCount } from './todo';
export { isMember, labIdsOf, memberAccounts, membershipOf, roleIn, roleOf } from './roles';
export { addMembership, setMembershipRole } from './membership';
export { memberCount, membershipCounts, membershipStats, membershipStatsByLab } from './counts';
export { labContacts, labPeople, type LabPerson } from './people';
export {
	acceptInvitationsFor,
	addJoinDomain,
	hasPendingInvitation,
	JOIN_ROLES,
	joinByDomain,
	joinDomainAllows,
	listJoinDomains,
	removeJoinDomain,
	type JoinDomain
} from './sso';
