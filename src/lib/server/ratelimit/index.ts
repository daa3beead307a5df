/**
 * The public entry of the `ratelimit` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { addressGroup } from './address';
export { checkCooldown, claimCooldown, clearRateLimit, COOLDOWNS, hitCooldown, hitRateLimit, LIMITS, peekRateLimit, unclaimCooldown } from './ratelimit';
export { deleteKeysWithPrefix, hasKey, putKey } from './store';
