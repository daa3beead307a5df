import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { membershipsOf } from '../labs';

/**
 * Where a person lands after logging in (when no `next` was asked for): their only lab, or the
 * last lab they used among theirs; otherwise the list of labs.
 */
export async function landingFor(db: Kysely<Database>, accountId: string, lastLabSlug: string | undefined): Promise<string> {
	const labs = await membershipsOf(db, accountId);
	if (labs.length === 1) return `/l/${labs[0]!.slug}`;
	const last = labs.find((l) => l.slug === lastLabSlug);
	return last ? `/l/${last.slug}` : '/';
}
