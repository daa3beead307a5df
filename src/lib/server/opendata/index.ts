/**
 * The public entry of the `opendata` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { buildSubventions, publishedFiles, type PublishedFile } from './opendata.service';
