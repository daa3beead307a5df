/**
 * The public entry of the `labs` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { addMembership, createLab, labContext, type LabContext, labSettings, type LabSummary, membershipsOf } from './labs.service';
export { findLabById } from './by-id';
export { grantingAuthority, setGrantingAuthority, type GrantingAuthority } from './authority';
