import type { PageServerLoad } from './$types';
import { journalListing } from '$lib/server/journal/public';

export const load: PageServerLoad = (event) => journalListing(event, { tag: event.params.tag.toLowerCase() });
