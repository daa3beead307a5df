/**
 * The public entry of the `files` domain: what other domains may use (docs/architecture.md).
 * Another domain imports from here, never from this folder's other files.
 */
export { fileDir } from './files.service';
export { countFilesOf, filesOf } from './owned';
export { attachmentsOf } from './attachments';
export { imageBytes, imageHash, imageOwnedBy, insertImageRow, listImages, storeImage, writeImageBytes, type ImageToStore } from './images';
