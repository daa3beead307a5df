/**
 * The public entry of the `fund` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { canReadRequest } from './fund.service';
export { appendEntry, requireEnvelope, withEnvelopeLock } from './ledger';
export { grantedForExperiment } from './granted';
export { draftRequestsCount, followedRequestsCount, requestsToDecideCount, waitingRequestsCount } from './todo';
export { fundedStamp } from './public';
export { grantRecords, type GrantRecord } from './grants';
