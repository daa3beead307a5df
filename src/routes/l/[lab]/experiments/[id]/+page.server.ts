import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { z } from 'zod';
import { getDb } from '$lib/server/db';
import { setExperimentPublished } from '$lib/server/journal/public-site';
import { domainFailure, guardLab, parseForm, rethrowAsHttp } from '$lib/server/http';
import { can, type Action } from '$lib/server/policy';
import {
	addLesson,
	addMilestone,
	addPartnerAccess,
	addTest,
	getExperiment,
	moveExperiment,
	setMilestoneState,
	setTeam,
	setVerdict,
	teamChoices
} from '$lib/server/experiments/experiments.service';
import { knowledgeOptions } from '$lib/server/knowledge/knowledge.service';
import { listMembers } from '$lib/server/members/members.service';
import type { LabContext } from '$lib/server/labs/labs.service';
import { RESPONSIBILITIES } from '$lib/shared/experiments';
import { accessSchema, lessonSchema, milestoneSchema, milestoneStateSchema, moveSchema, teamSchema, testSchema, verdictSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'experiments.view');
	const db = getDb();
	try {
		const experiment = await getExperiment(db, ctx, event.params.id);
		const editable = can(ctx.role, 'experiments.edit');
		const [knowledge, people, partners] = await Promise.all([
			editable ? knowledgeOptions(db, ctx) : Promise.resolve([]),
			editable ? teamChoices(db, ctx) : Promise.resolve([]),
			can(ctx.role, 'experiments.manageAccess')
				? Promise.all([listMembers(db, ctx, { role: 'partner' }), listMembers(db, ctx, { role: 'sponsor' })]).then(([p, s]) => [...p.rows, ...s.rows])
				: Promise.resolve([])
		]);
		return {
			experiment,
			knowledge,
			people,
			partners: partners.map((p) => ({ accountId: p.accountId, name: p.name })),
			saved: event.url.searchParams.has('saved')
		};
	} catch (e) {
		rethrowAsHttp(e);
	}
};

/** One form action: check the policy, parse, call the service, answer with which form it was. */
function action<S extends z.ZodType>(
	formId: string,
	needs: Action,
	schema: S,
	run: (ctx: LabContext, data: z.output<S>, event: RequestEvent) => Promise<unknown>
) {
	return async (event: RequestEvent) => {
		const ctx = await guardLab(event, needs);
		const parsed = await parseForm(event, schema);
		if (!parsed.ok) return parsed.failure;
		try {
			await run(ctx, parsed.data, event);
		} catch (e) {
			return domainFailure(e, { ...parsed.values, formId });
		}
		return { formId, done: true };
	};
}

const publishSchema = z.object({ published: z.enum(['1', '0']) });

export const actions: Actions = {
	publish: action('publish', 'journal.write', publishSchema, (ctx, d, e) => setExperimentPublished(getDb(), ctx, e.params.id, d.published === '1')),
	move: action('move', 'experiments.edit', moveSchema, (ctx, d) => moveExperiment(getDb(), ctx, d.experimentId, d.from, d.to)),
	milestone: action('milestone', 'experiments.edit', milestoneSchema, (ctx, d, e) => addMilestone(getDb(), ctx, e.params.id, d)),
	milestoneState: action('milestoneState', 'experiments.edit', milestoneStateSchema, (ctx, d) => setMilestoneState(getDb(), ctx, d.milestoneId, d.state)),
	team: action('team', 'experiments.edit', teamSchema, (ctx, d, e) =>
		setTeam(
			getDb(),
			ctx,
			e.params.id,
			RESPONSIBILITIES.map((r) => ({
				responsibility: r,
				personName: String(d[`${r}_person`] ?? ''),
				personId: String(d[`${r}_personId`] ?? '') || null,
				estimatedDays: Number(d[`${r}_estimated`] ?? 0),
				actualDays: Number(d[`${r}_actual`] ?? 0)
			}))
		)
	),
	test: action('test', 'experiments.edit', testSchema, (ctx, d, e) => addTest(getDb(), ctx, e.params.id, d.knowledgeId)),
	verdict: action('verdict', 'experiments.edit', verdictSchema, (ctx, d) => setVerdict(getDb(), ctx, d.testId, d)),
	lesson: action('lesson', 'experiments.edit', lessonSchema, (ctx, d, e) => addLesson(getDb(), ctx, e.params.id, d)),
	access: action('access', 'experiments.manageAccess', accessSchema, (ctx, d, e) => addPartnerAccess(getDb(), ctx, e.params.id, d.accountId))
};
