import type { PageServerLoad } from './$types';
import { journalListing } from '$lib/server/journal/public';

export const load: PageServerLoad = (event) => journalListing(event, {});

// The public site is plain HTML: no script to download, nothing to hydrate.
export const csr = false;
