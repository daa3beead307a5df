/**
 * The public entry of the `audit` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { recordAudit } from './audit.service';
export { lastActivityByLab } from './audit.service';
