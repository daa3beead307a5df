import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import type { LabContext, LabSummary } from '../labs';
import { publicBacklinks, publicPosts, renderPublicBody } from './posts.service';
import type { KnowledgeType } from '$lib/shared/knowledge';
import type { ExperimentStatus } from '$lib/shared/experiments';
import { bumpContentVersion } from '../publiccache';

/** What the lab chose to show the public: knowledge items marked public, experiments published. */
export async function publicShowcase(db: Kysely<Database>, lab: LabSummary) {
	const [posts, knowledge, experiments] = await Promise.all([
		publicPosts(db, lab, { page: 1 }),
		db.selectFrom('knowledge_item').where('lab_id', '=', lab.id).where('visibility', '=', 'public').select(['id', 'type', 'title']).orderBy('updated_at', 'desc').limit(20).execute(),
		db.selectFrom('experiment').where('lab_id', '=', lab.id).where('published', '=', 1).select(['id', 'title', 'scenario', 'status']).orderBy('updated_at', 'desc').limit(20).execute()
	]);
	return {
		posts: posts.rows.slice(0, 3),
		knowledge: knowledge.map((k) => ({ ...k, type: k.type as KnowledgeType })),
		experiments: experiments.map((x) => ({ ...x, status: x.status as ExperimentStatus }))
	};
}

export async function publicKnowledge(db: Kysely<Database>, lab: LabSummary, id: string) {
	const k = await db.selectFrom('knowledge_item').where('id', '=', id).where('lab_id', '=', lab.id).where('visibility', '=', 'public').select(['id', 'type', 'title', 'body', 'updated_at']).executeTakeFirst();
	if (!k) return null;
	const [html, mentioned] = await Promise.all([renderPublicBody(db, lab, k.body), publicBacklinks(db, lab.id, { type: 'knowledge', id })]);
	return { id: k.id, type: k.type as KnowledgeType, title: k.title, html, updatedAt: k.updated_at, mentioned };
}

export async function publicExperiment(db: Kysely<Database>, lab: LabSummary, id: string) {
	const x = await db
		.selectFrom('experiment')
		.where('id', '=', id)
		.where('lab_id', '=', lab.id)
		.where('published', '=', 1)
		.select(['id', 'title', 'scenario', 'summary', 'sponsor', 'operator', 'partners', 'status', 'conclusions', 'updated_at'])
		.executeTakeFirst();
	if (!x) return null;
	const [summaryHtml, conclusionsHtml, mentioned] = await Promise.all([
		renderPublicBody(db, lab, x.summary),
		renderPublicBody(db, lab, x.conclusions),
		publicBacklinks(db, lab.id, { type: 'experiment', id })
	]);
	return { ...x, status: x.status as ExperimentStatus, summaryHtml, conclusionsHtml, mentioned };
}

/** A coordinator or resident shows an experiment on the public site, or takes it off. */
export async function setExperimentPublished(db: Kysely<Database>, ctx: LabContext, id: string, published: boolean): Promise<void> {
	authorize(ctx.role, 'journal.write');
	await inTransaction(db, async (trx) => {
		const r = await trx.updateTable('experiment').set({ published: published ? 1 : 0 }).where('id', '=', id).where('lab_id', '=', ctx.lab.id).executeTakeFirst();
		if (!Number(r.numUpdatedRows)) throw new DomainError('experiment.notFound', 404);
		await recordAudit(trx, { labId: ctx.lab.id, actorId: ctx.actor?.accountId ?? null, action: 'experiment.publish', subjectType: 'experiment', subjectId: id, summary: { published } });
		await bumpContentVersion(trx, ctx.lab.id);
	});
}
