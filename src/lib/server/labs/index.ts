/**
 * The public entry of the `labs` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { createLab, labContext, type LabContext, labSettings, type LabSummary, membershipsOf } from './labs.service';
export { allLabs, findLabById, labCreatedAt, labIdOfSlug, labKeyBySlug, labName, labSlug } from './lookup';
export { grantingAuthority, setGrantingAuthority, type GrantingAuthority } from './authority';
