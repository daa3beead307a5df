/**
 * The public entry of the `journal` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { wxrJob } from './wordpress/job';
export { publishDue } from './posts.service';
export { sendDigests } from './comments';
export { publishDueAndPlan } from './schedule';
export { postsByEpisode, postsByTitle, postTitles } from './titles';
export { pendingCommentsCount, scheduledPostsCount } from './todo';
export { postCountsByLab } from './counts';
