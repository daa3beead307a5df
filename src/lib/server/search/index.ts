/**
 * The public entry of the `search` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { indexDocument, removeDocument } from './search.service';
export { setStatus } from './status';
