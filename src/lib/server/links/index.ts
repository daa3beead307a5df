/**
 * The public entry of the `links` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { type Backlink, backlinksOf, linkResolver, rebuildLinks, resolveRefs } from './links.service';
export { removeLinksFrom } from './removal';
export { countLinksTo } from './mentions';
export { linkSources } from './sources';
