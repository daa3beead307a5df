import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import type { LabContext, LabSummary } from '../labs';
import { publicBacklinks, publicPosts, renderPublicBody } from './posts.service';
import { publicKnowledgeItem, publicKnowledgeItems } from '../knowledge';
import { publishedExperiment, publishedExperiments, setPublished } from '../experiments';
import type { KnowledgeType } from '$lib/shared/knowledge';
import type { ExperimentStatus } from '$lib/shared/experiments';
import { bumpContentVersion } from '../publiccache';

/** What the lab chose to show the public: knowledge items marked public, experiments published. */
export async function publicShowcase(db: Kysely<Database>, lab: LabSummary) {
	const [posts, knowledge, experiments] = await Promise.all([
		publicPosts(db, lab, { page: 1 }),
		publicKnowledgeItems(db, lab.id, 20),
		publishedExperiments(db, lab.id, 20)
	]);
	return {
		posts: posts.rows.slice(0, 3),
		knowledge: knowledge.map((k) => ({ ...k, type: k.type as KnowledgeType })),
		experiments: experiments.map((x) => ({ ...x, status: x.status as ExperimentStatus }))
	};
}

export async function publicKnowledge(db: Kysely<Database>, lab: LabSummary, id: string) {
	const k = await publicKnowledgeItem(db, lab.id, id);
	if (!k) return null;
	const [html, mentioned] = await Promise.all([renderPublicBody(db, lab, k.body), publicBacklinks(db, lab.id, { type: 'knowledge', id })]);
	return { id: k.id, type: k.type as KnowledgeType, title: k.title, html, updatedAt: k.updated_at, mentioned };
}

export async function publicExperiment(db: Kysely<Database>, lab: LabSummary, id: string) {
	const x = await publishedExperiment(db, lab.id, id);
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
		if (!(await setPublished(trx, ctx.lab.id, id, published))) throw new DomainError('experiment.notFound', 404);
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'experiment.publish',
			subjectType: 'experiment',
			subjectId: id,
			summary: { published }
		});
		await bumpContentVersion(trx, ctx.lab.id);
	});
}
