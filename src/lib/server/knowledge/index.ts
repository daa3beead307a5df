/**
 * The public entry of the `knowledge` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { createKnowledge } from './knowledge.service';
export { countFromSource, itemsByIds, itemsFromSource } from './sources';
export { itemsOfSource, knowledgeByTitle, knowledgeTitle, knowledgeTitles, knowledgeType } from './titles';
export { publicKnowledgeDates, publicKnowledgeIds, publicKnowledgeItem, publicKnowledgeItems, publicKnowledgeStamp } from './publication';
