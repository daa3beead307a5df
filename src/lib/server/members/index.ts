/**
 * The public entry of the `members` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { inviteMember, memberChoices } from './members.service';
export { memberPeopleNamed, membersAmong, roleOf } from './lookup';
export { roleOf } from './roles';
export { expiringInvitationsCount } from './todo';
