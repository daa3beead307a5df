/**
 * Importing a WordPress blog (an export file, WXR 1.1 or 1.2) into the journal, in four steps
 * that are also four files:
 * - `wxr.ts` reads the file (`parseWxr`), its dates and episode titles;
 * - `html.ts` turns WordPress content into markdown (`htmlToMarkdown`);
 * - `import.ts` writes it into a lab's journal in one transaction (`importWxr`, `importSite`);
 * - `job.ts` is the web page's path: preview, a stored job, a progress bar.
 *
 * Commenters' e-mail addresses are read (WordPress exports them) and dropped: they are kept
 * nowhere, not even in the stored job (`commenters.ts`).
 */
export * from './wxr';
export * from './html';
export * from './import';
export * from './job';
export { stripCommenterEmails } from './commenters';
export { findRedirect, normalizeOldPath } from '../redirects';
