/**
 * The server translates into any language at any time (mails, CSV exports, the command line), so
 * it holds every catalogue; the browser loads only the one its page is in (`$lib/i18n`).
 */
import { provideCatalog } from '$lib/i18n';
import { en } from '$lib/i18n/en';

provideCatalog('en', en);

export * from '$lib/i18n';
