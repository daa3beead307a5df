/**
 * The public entry of the `experiments` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { experimentCountsByLab } from './counts';
export { experimentUpdatedAt, publishedExperiment, publishedExperimentDates, publishedExperimentIds, publishedExperiments, publishedExperimentsStamp, setPublished } from './publication';
