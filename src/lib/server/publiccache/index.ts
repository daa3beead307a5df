/**
 * The public entry of the `publiccache` platform: each lab's public content version (moved by
 * every write that changes the public site, in its transaction) and the cache of rendered public
 * pages kept against it (docs/decisions/015-public-render-cache.md).
 */
export { bumpContentVersion, readContentVersion, setNextPublish, type ContentVersion } from './version';
export { PublicPageCache, hasSessionCookie, type CachedPage, type CacheTicket, type PublicPagesOptions } from './pages';
export { ByteLru } from './lru';
