/**
 * The public entry of the `sessions` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { participantsJob } from './import';
export { participantCountOfEvent } from './counts';
