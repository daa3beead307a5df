/**
 * The public entry of the `specs` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { linkCommitment, markAwarded, specForAward } from './specs.service';
export { specsInReviewCount } from './todo';
