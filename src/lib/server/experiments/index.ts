/**
 * The public entry of the `experiments` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { listedOn } from './listed';
export { anonymiseRole } from './roles';
export {
	type ExperimentBrief,
	experimentOptions,
	experimentsByTitle,
	experimentTitle,
	experimentTitles,
	isTeamMember,
	roleHolder,
	summaryOf
} from './summaries';
export { dueMilestonesCount, isMyExperiment } from './todo';
export { experimentCountsByLab } from './counts';
export {
	experimentUpdatedAt,
	publishedExperiment,
	publishedExperimentDates,
	publishedExperimentIds,
	publishedExperiments,
	publishedExperimentsStamp,
	setPublished
} from './publication';
