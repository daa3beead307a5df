/** The moderation queue and its decisions (approve, reject, spam), audited. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { inTransaction, nowIso, toCount } from '../../db/util';
import { DomainError } from '../../errors';
import { authorize } from '../../policy';
import { recordAudit } from '../../audit';
import type { LabContext } from '../../labs';
import { displayTitle } from '$lib/shared/journal';
import { renderComment } from './render';
import { COMMENT_STATES, type CommentState, MODERATION_PAGE_SIZE, type ModerationAction, isModerationAction, isState } from './rules';
import { bumpContentVersion } from '../../publiccache';

export interface ModerationRow {
	id: string;
	postId: string;
	postTitle: string;
	postSlug: string;
	postPublished: boolean;
	parentId: string | null;
	name: string;
	html: string;
	member: boolean;
	state: CommentState;
	createdAt: string;
	moderatedAt: string | null;
}

/** One page of the lab's comments in a state (pending by default), newest first, with the count of each state. */
export async function moderationQueue(
	db: Kysely<Database>,
	ctx: LabContext,
	f: { state?: CommentState; page?: number } = {}
): Promise<{ rows: ModerationRow[]; total: number; counts: Record<CommentState, number>; page: number; pageSize: number }> {
	authorize(ctx.role, 'journal.moderate');
	const state = isState(f.state) ? f.state : 'pending';
	const page = Math.max(1, Math.floor(f.page ?? 1));
	const [rows, counts] = await Promise.all([
		db
			.selectFrom('comment as c')
			.innerJoin('post as p', 'p.id', 'c.post_id')
			.where('c.lab_id', '=', ctx.lab.id)
			.where('c.state', '=', state)
			.select([
				'c.id',
				'c.post_id',
				'p.title',
				'p.series',
				'p.episode',
				'p.slug',
				'p.state as post_state',
				'c.parent_id',
				'c.name',
				'c.body',
				'c.person_id',
				'c.state',
				'c.created_at',
				'c.moderated_at'
			])
			.orderBy('c.created_at', 'desc')
			.orderBy('c.id')
			.limit(MODERATION_PAGE_SIZE)
			.offset((page - 1) * MODERATION_PAGE_SIZE)
			.execute(),
		db
			.selectFrom('comment')
			.where('lab_id', '=', ctx.lab.id)
			.select('state')
			.select((eb) => eb.fn.countAll().as('n'))
			.groupBy('state')
			.execute()
	]);
	const c = Object.fromEntries(COMMENT_STATES.map((s) => [s, 0])) as Record<CommentState, number>;
	for (const r of counts) if (isState(r.state)) c[r.state] = toCount(r.n);
	return {
		rows: rows.map((r) => ({
			id: r.id,
			postId: r.post_id,
			postTitle: displayTitle(r),
			postSlug: r.slug,
			postPublished: r.post_state === 'published',
			parentId: r.parent_id,
			name: r.name,
			html: renderComment(r.body),
			member: r.person_id !== null,
			state: r.state as CommentState,
			createdAt: r.created_at,
			moderatedAt: r.moderated_at
		})),
		total: c[state],
		counts: c,
		page,
		pageSize: MODERATION_PAGE_SIZE
	};
}

const TO_STATE: Record<ModerationAction, CommentState> = { approve: 'approved', reject: 'rejected', spam: 'spam' };

/** Approves, rejects or marks as spam one or many comments of the lab, all or none. */
export async function moderate(db: Kysely<Database>, ctx: LabContext, ids: string[], action: ModerationAction): Promise<{ count: number }> {
	authorize(ctx.role, 'journal.moderate');
	if (!isModerationAction(action)) throw new DomainError('form.invalidChoice', 400, {}, 'action');
	const unique = [...new Set(ids.filter((x) => typeof x === 'string' && x.length > 0 && x.length <= 64))];
	if (unique.length === 0) throw new DomainError('journal.moderation.noneSelected', 400, {}, 'ids');
	if (unique.length > 500) throw new DomainError('journal.moderation.tooMany', 400, { max: 500 }, 'ids');
	return inTransaction(db, async (trx) => {
		const found = await trx.selectFrom('comment').where('lab_id', '=', ctx.lab.id).where('id', 'in', unique).select('id').execute();
		if (found.length !== unique.length) throw new DomainError('comment.notFound', 404);
		const to = TO_STATE[action];
		await trx
			.updateTable('comment')
			.set({ state: to, moderated_at: nowIso(), moderated_by: ctx.actor?.accountId ?? null })
			.where('lab_id', '=', ctx.lab.id)
			.where('id', 'in', unique)
			.execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'comment.moderate',
			subjectType: 'comment',
			subjectId: unique.length === 1 ? unique[0]! : null,
			summary: { to, count: unique.length, ids: unique.slice(0, 50) }
		});
		await bumpContentVersion(trx, ctx.lab.id);
		return { count: unique.length };
	});
}
