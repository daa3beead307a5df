/**
 * The public entry of the `events` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { toICalendar } from './calendar';
export { assertEvent } from './events.service';
export { eventCountsByLab } from './counts';
