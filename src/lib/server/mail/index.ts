/**
 * The public entry of the `mail` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { type DigestItem, excerpt, journalMails } from './journal';
export { enqueueMail } from './outbox';
export { mailTexts, networkMails } from './templates';
export { outboxCounts } from './counters';
export { failedMailsCount } from './todo';
export { pendingMailCount } from './counts';
