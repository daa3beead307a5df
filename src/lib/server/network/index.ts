/**
 * The public entry of the `network` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { confirmedReferents } from './calls.service';
export { activeReferents } from './directory';
export { type ImportError } from './import.service';
export { levelsOf } from './network.service';
export { invitationJob } from './import.service';
export { sendReminders } from './calls.service';
export { activeReferentDetails, callCountOfEvent, referentPeopleNamed, type ReferentDetail } from './people';
export { anUpcomingAssignment, openAnswersCount, shortCallsCount, upcomingAssignmentsCount } from './todo';
export { assignReferents, type AssignmentChange } from './calls.service';
export { eraseReferentProfile, releaseErasedPerson } from './network.service';
