import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, newId, nowIso } from '../db/util';
import { DomainError } from '../errors';
import { authorize, can } from '../policy';
import { experimentScope } from '../policy/scopes';
import { recordAudit } from '../audit';
import { indexDocument } from '../search';
import { createKnowledge, itemsOfSource, knowledgeTitle, knowledgeTitles, knowledgeType } from '../knowledge';
import { accountName, personName } from '../auth';
import { eventOptions, eventTitles } from '../events';
import { experimentOptions } from './summaries';
import { backlinksOf, linkResolver, rebuildLinks, type Backlink } from '../links';
import { renderMarkdown } from '../markdown/markdown';
import type { LabContext } from '../labs';
import { memberChoices, roleOf } from '../members';
import { activeReferents } from '../network';
import {
	canMove,
	RESPONSIBILITIES,
	verdictAllowed,
	type ExperimentStatus,
	type MilestoneState,
	type Responsibility,
	type Verdict
} from '$lib/shared/experiments';
import type { KnowledgeType } from '$lib/shared/knowledge';
import { bumpContentVersion } from '../publiccache';

export interface ExperimentInput {
	title: string;
	scenario: string;
	summary: string;
	sponsor: string;
	operator: string;
	partners: string;
	lineage: string; // "experiment:<id>" | "event:<id>" | ""
	conclusions: string;
}

export interface ExperimentSummary {
	id: string;
	title: string;
	scenario: string;
	sponsor: string;
	operator: string;
	partners: string;
	status: ExperimentStatus;
	updatedAt: string;
	statusSince: string;
}

export interface ExperimentDetail extends ExperimentSummary {
	/** Shown on the lab's public site. */
	published: boolean;
	summary: string;
	conclusions: string;
	summaryHtml: string;
	conclusionsHtml: string;
	lineage: { type: string; id: string; title: string } | null;
	history: { from: ExperimentStatus | null; to: ExperimentStatus; at: string; by: string | null }[];
	milestones: { id: string; title: string; dueOn: string; state: MilestoneState }[];
	/** `personId`: the lab member or referent chosen (null: a name typed for someone from outside). */
	team: { responsibility: Responsibility; personName: string; personId: string | null; estimatedDays: number; actualDays: number }[];
	tests: { id: string; knowledgeId: string; title: string; type: KnowledgeType; verdict: Verdict | null; evidence: string }[];
	lessons: { id: string; title: string }[];
	members: { accountId: string; name: string }[];
	backlinks: Backlink[];
}

/** The experiments a role may see: partners only those they are listed on. */
function scoped(db: Kysely<Database>, ctx: LabContext) {
	const q = db.selectFrom('experiment as x').where('x.lab_id', '=', ctx.lab.id);
	const scope = experimentScope(db, ctx, 'x.id');
	return scope ? q.where(scope) : q;
}

async function checkLineage(db: Kysely<Database>, ctx: LabContext, lineage: string, selfId?: string) {
	if (!lineage) return { type: null, id: null };
	const [type, id] = lineage.split(':') as [string, string];
	if ((type !== 'experiment' && type !== 'event') || !id || id === selfId) throw new DomainError('experiment.badLineage', 400, {}, 'lineage');
	const row = type === 'event' ? (await eventTitles(db, [id]))[0] : await db.selectFrom('experiment').where('id', '=', id).select('lab_id').executeTakeFirst();
	if (!row) throw new DomainError('experiment.badLineage', 400, {}, 'lineage');
	if (row.lab_id !== ctx.lab.id) throw new DomainError('link.otherLab', 400, {}, 'lineage');
	return { type, id };
}

async function reindex(trx: Kysely<Database>, ctx: LabContext, id: string) {
	const x = await trx.selectFrom('experiment').where('id', '=', id).selectAll().executeTakeFirstOrThrow();
	await indexDocument(trx, {
		type: 'experiment',
		id,
		labId: ctx.lab.id,
		title: x.title,
		body: [x.scenario, x.sponsor, x.operator, x.partners, x.summary, x.conclusions].join('\n'),
		subtype: '',
		status: x.status,
		visibility: 'lab',
		date: x.created_at
	});
	await rebuildLinks(trx, ctx.lab.id, { type: 'experiment', id }, [x.summary, x.conclusions].join('\n'));
}

export async function createExperiment(db: Kysely<Database>, ctx: LabContext, input: ExperimentInput): Promise<string> {
	authorize(ctx.role, 'experiments.edit');
	const id = newId();
	const now = nowIso();
	await inTransaction(db, async (trx) => {
		const lineage = await checkLineage(trx, ctx, input.lineage);
		await trx
			.insertInto('experiment')
			.values({
				id,
				lab_id: ctx.lab.id,
				title: input.title,
				scenario: input.scenario,
				summary: input.summary,
				sponsor: input.sponsor,
				operator: input.operator,
				partners: input.partners,
				lineage_type: lineage.type,
				lineage_id: lineage.id,
				status: 'idea',
				conclusions: input.conclusions,
				created_by: ctx.actor?.accountId ?? null,
				created_at: now,
				updated_at: now
			})
			.execute();
		await trx
			.insertInto('experiment_status_change')
			.values({
				id: newId(),
				lab_id: ctx.lab.id,
				experiment_id: id,
				from_status: null,
				to_status: 'idea',
				changed_at: now,
				actor_id: ctx.actor?.accountId ?? null
			})
			.execute();
		await trx
			.insertInto('experiment_role')
			.values(
				RESPONSIBILITIES.map((r) => ({
					id: newId(),
					lab_id: ctx.lab.id,
					experiment_id: id,
					responsibility: r,
					person_name: '',
					estimated_days: 0,
					actual_days: 0
				}))
			)
			.execute();
		await reindex(trx, ctx, id);
		await recordAudit(trx, { labId: ctx.lab.id, actorId: ctx.actor?.accountId ?? null, action: 'experiment.create', subjectType: 'experiment', subjectId: id });
	});
	return id;
}

async function own(trx: Kysely<Database>, ctx: LabContext, id: string) {
	const x = await trx.selectFrom('experiment').where('id', '=', id).where('lab_id', '=', ctx.lab.id).select(['id', 'status', 'title']).executeTakeFirst();
	if (!x) throw new DomainError('experiment.notFound', 404);
	return x as { id: string; status: ExperimentStatus; title: string };
}

export async function updateExperiment(db: Kysely<Database>, ctx: LabContext, id: string, input: ExperimentInput): Promise<void> {
	authorize(ctx.role, 'experiments.edit');
	await inTransaction(db, async (trx) => {
		await own(trx, ctx, id);
		const lineage = await checkLineage(trx, ctx, input.lineage, id);
		await trx
			.updateTable('experiment')
			.set({
				title: input.title,
				scenario: input.scenario,
				summary: input.summary,
				sponsor: input.sponsor,
				operator: input.operator,
				partners: input.partners,
				lineage_type: lineage.type,
				lineage_id: lineage.id,
				conclusions: input.conclusions,
				updated_at: nowIso()
			})
			.where('id', '=', id)
			.where('lab_id', '=', ctx.lab.id)
			.execute();
		await reindex(trx, ctx, id);
		await recordAudit(trx, { labId: ctx.lab.id, actorId: ctx.actor?.accountId ?? null, action: 'experiment.update', subjectType: 'experiment', subjectId: id });
		await bumpContentVersion(trx, ctx.lab.id);
	});
}

/**
 * Moves an experiment one step in its workflow. `from` is the status the person saw: if it
 * changed meanwhile, or the step is not allowed, nothing is written and the reason is given.
 */
export async function moveExperiment(db: Kysely<Database>, ctx: LabContext, id: string, from: ExperimentStatus, to: ExperimentStatus): Promise<void> {
	authorize(ctx.role, 'experiments.edit');
	await inTransaction(db, async (trx) => {
		const x = await own(trx, ctx, id);
		if (x.status !== from) throw new DomainError('experiment.statusChanged', 409, { status: `experiment.status.${x.status}` });
		if (!canMove(from, to)) throw new DomainError('experiment.badMove', 400, { from: `experiment.status.${from}`, to: `experiment.status.${to}` });
		const now = nowIso();
		const res = await trx.updateTable('experiment').set({ status: to, updated_at: now }).where('id', '=', id).where('status', '=', from).executeTakeFirst();
		if (Number(res.numUpdatedRows) !== 1) throw new DomainError('experiment.statusChanged', 409, { status: `experiment.status.${to}` });
		await trx
			.insertInto('experiment_status_change')
			.values({ id: newId(), lab_id: ctx.lab.id, experiment_id: id, from_status: from, to_status: to, changed_at: now, actor_id: ctx.actor?.accountId ?? null })
			.execute();
		await reindex(trx, ctx, id);
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'experiment.move',
			subjectType: 'experiment',
			subjectId: id,
			summary: { from, to }
		});
		await bumpContentVersion(trx, ctx.lab.id);
	});
}

export async function addMilestone(db: Kysely<Database>, ctx: LabContext, id: string, m: { title: string; dueOn: string }): Promise<void> {
	authorize(ctx.role, 'experiments.edit');
	await inTransaction(db, async (trx) => {
		await own(trx, ctx, id);
		await trx
			.insertInto('experiment_milestone')
			.values({ id: newId(), lab_id: ctx.lab.id, experiment_id: id, title: m.title, due_on: m.dueOn, state: 'planned' })
			.execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'experiment.addMilestone',
			subjectType: 'experiment',
			subjectId: id
		});
	});
}

export async function setMilestoneState(db: Kysely<Database>, ctx: LabContext, milestoneId: string, state: MilestoneState): Promise<void> {
	authorize(ctx.role, 'experiments.edit');
	await inTransaction(db, async (trx) => {
		const res = await trx.updateTable('experiment_milestone').set({ state }).where('id', '=', milestoneId).where('lab_id', '=', ctx.lab.id).executeTakeFirst();
		if (Number(res.numUpdatedRows) !== 1) throw new DomainError('experiment.notFound', 404);
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'experiment.milestoneState',
			subjectType: 'milestone',
			subjectId: milestoneId,
			summary: { state }
		});
	});
}

export interface TeamChoice {
	personId: string;
	name: string;
	kind: 'member' | 'referent';
}

/** Who can be picked for an experiment's team: the lab's members, then the network's referents not already members. */
export async function teamChoices(db: Kysely<Database>, ctx: LabContext): Promise<TeamChoice[]> {
	authorize(ctx.role, 'experiments.edit');
	const [members, referents] = await Promise.all([memberChoices(db, ctx), activeReferents(db, ctx.lab.id)]);
	const seen = new Set(members.map((m) => m.personId));
	return [
		...members.map((m) => ({ personId: m.personId, name: m.name, kind: 'member' as const })),
		...referents.filter((r) => !seen.has(r.personId)).map((r) => ({ personId: r.personId, name: r.name, kind: 'referent' as const }))
	];
}

/**
 * Saves the team: each responsibility held by a person picked from the lab or the network
 * (`personId`, whose name is kept), or by a name typed for someone from outside.
 */
export async function setTeam(
	db: Kysely<Database>,
	ctx: LabContext,
	id: string,
	team: { responsibility: Responsibility; personName: string; personId?: string | null; estimatedDays: number; actualDays: number }[]
): Promise<void> {
	authorize(ctx.role, 'experiments.edit');
	await inTransaction(db, async (trx) => {
		await own(trx, ctx, id);
		const known = team.some((r) => r.personId) ? new Map((await teamChoices(trx, ctx)).map((c) => [c.personId, c])) : new Map<string, TeamChoice>();
		for (const r of team) {
			const chosen = r.personId ? known.get(r.personId) : null;
			if (r.personId && !chosen) throw new DomainError('experiment.teamPersonUnknown', 400, {}, `${r.responsibility}_personId`);
			await trx
				.updateTable('experiment_role')
				.set({
					person_name: chosen ? chosen.name : r.personName,
					person_id: chosen ? chosen.personId : null,
					estimated_days: r.estimatedDays,
					actual_days: r.actualDays
				})
				.where('experiment_id', '=', id)
				.where('responsibility', '=', r.responsibility)
				.execute();
		}
		await recordAudit(trx, { labId: ctx.lab.id, actorId: ctx.actor?.accountId ?? null, action: 'experiment.team', subjectType: 'experiment', subjectId: id });
	});
}

/** Declares that the experiment tests a knowledge item of the same lab. */
export async function addTest(db: Kysely<Database>, ctx: LabContext, id: string, knowledgeId: string): Promise<void> {
	authorize(ctx.role, 'experiments.edit');
	await inTransaction(db, async (trx) => {
		await own(trx, ctx, id);
		const [k] = await knowledgeTitles(trx, [knowledgeId]);
		if (!k) throw new DomainError('knowledge.notFound', 404, {}, 'knowledgeId');
		if (k.lab_id !== ctx.lab.id) throw new DomainError('link.otherLab', 400, {}, 'knowledgeId');
		const exists = await trx
			.selectFrom('experiment_test')
			.where('experiment_id', '=', id)
			.where('knowledge_id', '=', knowledgeId)
			.select('id')
			.executeTakeFirst();
		if (exists) throw new DomainError('experiment.alreadyTested', 409, {}, 'knowledgeId');
		await trx
			.insertInto('experiment_test')
			.values({ id: newId(), lab_id: ctx.lab.id, experiment_id: id, knowledge_id: knowledgeId, verdict: null, evidence: '' })
			.execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'experiment.addTest',
			subjectType: 'experiment',
			subjectId: id,
			summary: { knowledgeId }
		});
	});
}

/** Records a verdict on a tested item, allowed from the evaluation step on. */
export async function setVerdict(db: Kysely<Database>, ctx: LabContext, testId: string, v: { verdict: Verdict; evidence: string }): Promise<void> {
	authorize(ctx.role, 'experiments.edit');
	await inTransaction(db, async (trx) => {
		const t = await trx.selectFrom('experiment_test').where('id', '=', testId).where('lab_id', '=', ctx.lab.id).select('experiment_id').executeTakeFirst();
		if (!t) throw new DomainError('experiment.notFound', 404);
		const x = await own(trx, ctx, t.experiment_id);
		if (!verdictAllowed(x.status)) throw new DomainError('experiment.verdictTooEarly', 409, {}, 'verdict');
		await trx.updateTable('experiment_test').set({ verdict: v.verdict, evidence: v.evidence }).where('id', '=', testId).execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'experiment.verdict',
			subjectType: 'experiment',
			subjectId: x.id,
			summary: { verdict: v.verdict }
		});
		await bumpContentVersion(trx, ctx.lab.id);
	});
}

/** A lesson learned: a new knowledge item whose source is the experiment. */
export async function addLesson(db: Kysely<Database>, ctx: LabContext, id: string, l: { title: string; body: string }): Promise<string> {
	authorize(ctx.role, 'experiments.edit');
	return inTransaction(db, async (trx) => {
		await own(trx, ctx, id);
		return createKnowledge(trx, ctx, { type: 'lesson', title: l.title, body: l.body, tags: [], visibility: 'lab', sourceType: 'experiment', sourceId: id });
	});
}

/** Lets a partner account see this experiment (it must be a partner of the lab). */
export async function addPartnerAccess(db: Kysely<Database>, ctx: LabContext, id: string, accountId: string): Promise<void> {
	authorize(ctx.role, 'experiments.manageAccess');
	await inTransaction(db, async (trx) => {
		await own(trx, ctx, id);
		if (!(await roleOf(trx, ctx.lab.id, accountId))) throw new DomainError('members.notFound', 404, {}, 'accountId');
		await trx
			.insertInto('experiment_member')
			.values({ lab_id: ctx.lab.id, experiment_id: id, account_id: accountId })
			.onConflict((oc) => oc.doNothing())
			.execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'experiment.grantAccess',
			subjectType: 'experiment',
			subjectId: id,
			summary: { accountId }
		});
	});
}

export async function listExperiments(db: Kysely<Database>, ctx: LabContext, f: { status?: ExperimentStatus; q?: string } = {}): Promise<ExperimentSummary[]> {
	authorize(ctx.role, 'experiments.view');
	let q = scoped(db, ctx);
	if (f.status) q = q.where('x.status', '=', f.status);
	const rows = await q
		.select(['x.id', 'x.title', 'x.scenario', 'x.sponsor', 'x.operator', 'x.partners', 'x.status', 'x.updated_at'])
		.select((eb) =>
			eb
				.selectFrom('experiment_status_change as c')
				.whereRef('c.experiment_id', '=', 'x.id')
				.select((c) => c.fn.max('c.changed_at').as('m'))
				.as('status_since')
		)
		.orderBy('x.title')
		.limit(1000)
		.execute();
	const needle = f.q?.trim().toLowerCase();
	return rows
		.map((r) => ({
			id: r.id,
			title: r.title,
			scenario: r.scenario,
			sponsor: r.sponsor,
			operator: r.operator,
			partners: r.partners,
			status: r.status as ExperimentStatus,
			updatedAt: r.updated_at,
			statusSince: String(r.status_since ?? r.updated_at)
		}))
		.filter((r) => !needle || [r.title, r.sponsor, r.operator, r.partners, r.scenario].some((v) => v.toLowerCase().includes(needle)));
}

export async function getExperiment(db: Kysely<Database>, ctx: LabContext, id: string): Promise<ExperimentDetail> {
	authorize(ctx.role, 'experiments.view');
	const x = await scoped(db, ctx).where('x.id', '=', id).selectAll('x').executeTakeFirst();
	if (!x) throw new DomainError('experiment.notFound', 404);
	const [history, milestones, team, tests, lessons, members, lineage, resolve, backlinks] = await Promise.all([
		db
			.selectFrom('experiment_status_change as c')
			.where('c.experiment_id', '=', id)
			.select((eb) => ['c.from_status', 'c.to_status', 'c.changed_at', accountName(eb.ref('c.actor_id')).as('name')])
			.orderBy('c.changed_at')
			.execute(),
		db.selectFrom('experiment_milestone').where('experiment_id', '=', id).selectAll().orderBy('due_on').execute(),
		db
			.selectFrom('experiment_role as t')
			.where('t.experiment_id', '=', id)
			.selectAll('t')
			.select((eb) => personName(eb.ref('t.person_id')).as('current_name'))
			.execute(),
		db
			.selectFrom('experiment_test as t')
			.where('t.experiment_id', '=', id)
			.select((eb) => [
				't.id',
				't.knowledge_id',
				't.verdict',
				't.evidence',
				knowledgeTitle(eb.ref('t.knowledge_id')).as('title'),
				knowledgeType(eb.ref('t.knowledge_id')).as('type')
			])
			.orderBy('title')
			.execute(),
		itemsOfSource(db, ctx.lab.id, { type: 'experiment', id }),
		db
			.selectFrom('experiment_member as m')
			.where('m.experiment_id', '=', id)
			.select((eb) => ['m.account_id as id', accountName(eb.ref('m.account_id')).as('name')])
			.execute(),
		x.lineage_type && x.lineage_id ? lineageOf(db, ctx.lab.id, x.lineage_type, x.lineage_id) : Promise.resolve(undefined),
		linkResolver(db, ctx.lab, [x.summary, x.conclusions].join('\n')),
		backlinksOf(db, ctx, { type: 'experiment', id })
	]);
	const order = (r: string) => RESPONSIBILITIES.indexOf(r as Responsibility);
	return {
		published: x.published === 1,
		id: x.id,
		title: x.title,
		scenario: x.scenario,
		sponsor: x.sponsor,
		operator: x.operator,
		partners: x.partners,
		status: x.status as ExperimentStatus,
		updatedAt: x.updated_at,
		statusSince: history.at(-1)?.changed_at ?? x.updated_at,
		summary: x.summary,
		conclusions: x.conclusions,
		summaryHtml: renderMarkdown(x.summary, resolve),
		conclusionsHtml: renderMarkdown(x.conclusions, resolve),
		lineage: lineage && x.lineage_type ? { type: x.lineage_type, id: lineage.id, title: lineage.title } : null,
		history: history.map((h) => ({ from: h.from_status as ExperimentStatus | null, to: h.to_status as ExperimentStatus, at: h.changed_at, by: h.name })),
		milestones: milestones.map((m) => ({ id: m.id, title: m.title, dueOn: m.due_on, state: m.state as MilestoneState })),
		team: team
			.sort((a, b) => order(a.responsibility) - order(b.responsibility))
			.map((r) => ({
				responsibility: r.responsibility as Responsibility,
				personName: r.current_name ?? r.person_name,
				personId: r.person_id,
				estimatedDays: Number(r.estimated_days),
				actualDays: Number(r.actual_days)
			})),
		tests: tests.map((t) => ({
			id: t.id,
			knowledgeId: t.knowledge_id,
			title: t.title ?? '',
			type: t.type as KnowledgeType,
			verdict: t.verdict as Verdict | null,
			evidence: t.evidence
		})),
		lessons,
		members: members.flatMap((m) => (m.name === null ? [] : [{ accountId: m.id, name: m.name }])),
		backlinks
	};
}

/** The record an experiment continues, when it is one of the lab's. */
async function lineageOf(db: Kysely<Database>, labId: string, type: string, id: string): Promise<{ id: string; title: string } | undefined> {
	const row =
		type === 'event'
			? (await eventTitles(db, [id]))[0]
			: await db.selectFrom('experiment').where('id', '=', id).select(['id', 'lab_id', 'title']).executeTakeFirst();
	return row && row.lab_id === labId ? { id: row.id, title: row.title } : undefined;
}

/** Every experiment that tested a knowledge item, with its verdict: the trace from idea to evidence. */
export async function testsOfKnowledge(db: Kysely<Database>, ctx: LabContext, knowledgeId: string) {
	if (!can(ctx.role, 'experiments.view')) return [];
	const visible = scoped(db, ctx).select('x.id');
	const rows = await db
		.selectFrom('experiment_test as t')
		.innerJoin('experiment as x', 'x.id', 't.experiment_id')
		.where('t.knowledge_id', '=', knowledgeId)
		.where('t.lab_id', '=', ctx.lab.id)
		.where('x.id', 'in', visible)
		.select(['x.id', 'x.title', 'x.status', 't.verdict', 't.evidence'])
		.orderBy('x.title')
		.execute();
	return rows.map((r) => ({
		experimentId: r.id,
		title: r.title,
		status: r.status as ExperimentStatus,
		verdict: r.verdict as Verdict | null,
		evidence: r.evidence
	}));
}

export type TimelineEntry = {
	date: string;
	experimentId: string;
	experimentTitle: string;
	label: string;
} & ({ kind: 'milestone'; state: MilestoneState } | { kind: 'status'; state: ExperimentStatus });

/** Milestones and status changes of the visible experiments, oldest first. */
export async function experimentTimeline(db: Kysely<Database>, ctx: LabContext): Promise<TimelineEntry[]> {
	authorize(ctx.role, 'experiments.view');
	const visible = scoped(db, ctx).select('x.id');
	const [milestones, changes] = await Promise.all([
		db
			.selectFrom('experiment_milestone as m')
			.innerJoin('experiment as x', 'x.id', 'm.experiment_id')
			.where('m.lab_id', '=', ctx.lab.id)
			.where('x.id', 'in', visible)
			.select(['m.due_on', 'm.title', 'm.state', 'x.id', 'x.title as xt'])
			.execute(),
		db
			.selectFrom('experiment_status_change as c')
			.innerJoin('experiment as x', 'x.id', 'c.experiment_id')
			.where('c.lab_id', '=', ctx.lab.id)
			.where('x.id', 'in', visible)
			.select(['c.changed_at', 'c.to_status', 'x.id', 'x.title as xt'])
			.execute()
	]);
	return [
		...milestones.map((m) => ({
			date: m.due_on + 'T12:00:00.000Z',
			kind: 'milestone' as const,
			experimentId: m.id,
			experimentTitle: m.xt,
			label: m.title,
			state: m.state as MilestoneState
		})),
		...changes.map((c) => ({
			date: c.changed_at,
			kind: 'status' as const,
			experimentId: c.id,
			experimentTitle: c.xt,
			label: c.to_status,
			state: c.to_status as ExperimentStatus
		}))
	].sort((a, b) => a.date.localeCompare(b.date));
}

/** What an experiment may continue: the lab's earlier events and experiments. */
export async function lineageOptions(db: Kysely<Database>, ctx: LabContext): Promise<{ value: string; label: string }[]> {
	authorize(ctx.role, 'experiments.edit');
	const [events, experiments] = await Promise.all([eventOptions(db, ctx.lab.id, 300), experimentOptions(db, ctx.lab.id, 300)]);
	return [...experiments.map((x) => ({ value: `experiment:${x.id}`, label: x.title })), ...events.map((e) => ({ value: `event:${e.id}`, label: e.title }))];
}
