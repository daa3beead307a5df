/** A post's public thread: approved comments, replies under their parent. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { renderComment } from './render';
import { personAccount } from '../../auth';
import { roleIn } from '../../members';

export interface PublicComment {
	id: string;
	name: string;
	html: string;
	createdAt: string;
	/** Written by a member of the lab (logged in). */
	member: boolean;
	replies: PublicComment[];
}

/**
 * The approved comments of a post, oldest first, one level deep: a reply to a reply shows under
 * the top-level comment it descends from; a reply whose parent is not approved is not shown.
 */
export async function publicComments(db: Kysely<Database>, labId: string, postId: string): Promise<PublicComment[]> {
	const rows = await db
		.selectFrom('comment as c')
		.where('c.lab_id', '=', labId)
		.where('c.post_id', '=', postId)
		.where('c.state', '=', 'approved')
		.select(['c.id', 'c.parent_id', 'c.name', 'c.body', 'c.created_at'])
		.select((eb) => eb.exists(roleIn(labId, personAccount(eb.ref('c.person_id')).$asScalar())).as('member'))
		.orderBy('c.created_at')
		.orderBy('c.id')
		.execute();
	const parentOf = new Map(rows.map((r) => [r.id, r.parent_id]));
	const top = new Map<string, PublicComment>();
	const out: PublicComment[] = [];
	const made = rows.map((r) => ({
		parentId: r.parent_id,
		c: { id: r.id, name: r.name, html: renderComment(r.body), createdAt: r.created_at, member: Boolean(Number(r.member)), replies: [] } as PublicComment
	}));
	for (const { parentId, c } of made) {
		if (parentId) continue;
		top.set(c.id, c);
		out.push(c);
	}
	for (const { parentId, c } of made) {
		if (!parentId) continue;
		// Climbs to the top-level comment; stops (and hides the reply) at a parent that is not shown.
		let root: string = parentId;
		for (let depth = 0; depth < 50; depth++) {
			const up = parentOf.get(root);
			if (!up) break;
			root = up;
		}
		top.get(root)?.replies.push(c);
	}
	return out;
}
