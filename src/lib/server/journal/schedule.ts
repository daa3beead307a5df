import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { setNextPublish } from '../publiccache';
import { publishDue } from './posts.service';

/**
 * Publishes the lab's scheduled posts that are due (each moves the public content version), then
 * records when the next one is, so a server serving cached pages knows when to publish again
 * without looking at the posts on every request.
 */
export async function publishDueAndPlan(db: Kysely<Database>, labId: string): Promise<void> {
	await publishDue(db, labId);
	const next = await db
		.selectFrom('post')
		.where('lab_id', '=', labId)
		.where('state', '=', 'scheduled')
		.select((eb) => eb.fn.min('publish_at').as('at'))
		.executeTakeFirst();
	await setNextPublish(db, labId, (next?.at as string | null | undefined) ?? null);
}
