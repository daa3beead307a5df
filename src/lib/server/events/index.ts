/**
 * The public entry of the `events` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { toICalendar } from './calendar';
export { assertEvent } from './events.service';
export { eventHeader, type EventHeader } from './lookup';
export { eventRecord, eventRows, findEventHeader } from './lookup';
export {
	addParticipant,
	anonymiseParticipant,
	eventsOfPerson,
	FACILITATION_ROLES,
	facilitationCounts,
	participantCount,
	removeParticipant,
	roleTallies,
	type RoleTally
} from './participants';
export { eventOptions, eventsByTitle, eventTitles } from './titles';
export { upcomingEventIds } from './todo';
export { eventCountsByLab } from './counts';
