import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, newId, nowIso } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import type { LabContext } from '../labs';
import { accountName } from '../auth';
import { experimentTitle, experimentTitles, roleHolder, summaryOf } from '../experiments';
import { grantedForExperiment } from '../fund';
import { diffLines, type DiffLine, type Section, type SpecKind, type SpecState } from '$lib/shared/specs';

export interface SpecInput {
	title: string;
	sections: Section[];
	experimentId?: string | null;
	source?: string;
	notes?: string;
	rating?: number | null;
}

export interface SpecSummary {
	id: string;
	kind: SpecKind;
	title: string;
	state: SpecState;
	experimentId: string | null;
	experimentTitle: string | null;
	rating: number | null;
	updatedAt: string;
}

export interface SpecDetail extends SpecSummary {
	version: number;
	sections: Section[];
	source: string;
	notes: string;
	operator: string;
	awardedCents: number | null;
	commitmentId: string | null;
	amo: string | null;
	versions: { version: number; title: string; author: string | null; at: string }[];
}

const NEXT: Partial<Record<SpecState, SpecState>> = { draft: 'under_review', under_review: 'published' };

async function checkExperiment(db: Kysely<Database>, ctx: LabContext, experimentId: string | null | undefined) {
	if (!experimentId) return;
	const [x] = await experimentTitles(db, [experimentId]);
	if (!x) throw new DomainError('experiment.notFound', 404, {}, 'experimentId');
	if (x.lab_id !== ctx.lab.id) throw new DomainError('link.otherLab', 400, {}, 'experimentId');
}

async function saveVersion(trx: Kysely<Database>, ctx: LabContext, id: string, version: number, input: SpecInput) {
	await trx
		.insertInto('specification_version')
		.values({
			id: newId(),
			spec_id: id,
			version,
			title: input.title,
			sections: JSON.stringify(input.sections),
			author_id: ctx.actor?.accountId ?? null,
			created_at: nowIso()
		})
		.execute();
}

export async function createSpec(db: Kysely<Database>, ctx: LabContext, kind: SpecKind, input: SpecInput): Promise<string> {
	authorize(ctx.role, 'specs.edit');
	const id = newId();
	const now = nowIso();
	await inTransaction(db, async (trx) => {
		await checkExperiment(trx, ctx, input.experimentId);
		await trx
			.insertInto('specification')
			.values({
				id,
				lab_id: ctx.lab.id,
				kind,
				experiment_id: input.experimentId ?? null,
				title: input.title,
				state: 'draft',
				source: input.source ?? '',
				notes: input.notes ?? '',
				rating: input.rating ?? null,
				operator: '',
				awarded_cents: null,
				commitment_id: null,
				version: 1,
				created_by: ctx.actor?.accountId ?? null,
				created_at: now,
				updated_at: now
			})
			.execute();
		await saveVersion(trx, ctx, id, 1, input);
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'spec.create',
			subjectType: 'specification',
			subjectId: id,
			summary: { kind }
		});
	});
	return id;
}

/** Saves a new version; refused (409) when someone saved since `baseVersion`, so the editor keeps their text. */
export async function updateSpec(db: Kysely<Database>, ctx: LabContext, id: string, baseVersion: number, input: SpecInput): Promise<number> {
	authorize(ctx.role, 'specs.edit');
	return inTransaction(db, async (trx) => {
		await checkExperiment(trx, ctx, input.experimentId);
		const current = await trx.selectFrom('specification').where('id', '=', id).where('lab_id', '=', ctx.lab.id).select(['version', 'state']).executeTakeFirst();
		if (!current) throw new DomainError('spec.notFound', 404);
		if (current.state === 'awarded') throw new DomainError('spec.awardedLocked', 409);
		const res = await trx
			.updateTable('specification')
			.set({
				title: input.title,
				experiment_id: input.experimentId ?? null,
				source: input.source ?? '',
				notes: input.notes ?? '',
				rating: input.rating ?? null,
				version: baseVersion + 1,
				updated_at: nowIso()
			})
			.where('id', '=', id)
			.where('version', '=', baseVersion)
			.executeTakeFirst();
		if (Number(res.numUpdatedRows) !== 1) throw new DomainError('spec.conflict', 409, { version: current.version });
		await saveVersion(trx, ctx, id, baseVersion + 1, input);
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'spec.update',
			subjectType: 'specification',
			subjectId: id,
			summary: { version: baseVersion + 1 }
		});
		return baseVersion + 1;
	});
}

export async function listSpecs(db: Kysely<Database>, ctx: LabContext): Promise<SpecSummary[]> {
	authorize(ctx.role, 'specs.view');
	const rows = await db
		.selectFrom('specification as s')
		.where('s.lab_id', '=', ctx.lab.id)
		.select((eb) => [
			's.id',
			's.kind',
			's.title',
			's.state',
			's.experiment_id',
			experimentTitle(eb.ref('s.experiment_id')).as('xt'),
			's.rating',
			's.updated_at'
		])
		.orderBy('s.kind')
		.orderBy('s.title')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		kind: r.kind as SpecKind,
		title: r.title,
		state: r.state as SpecState,
		experimentId: r.experiment_id,
		experimentTitle: r.xt,
		rating: r.rating,
		updatedAt: r.updated_at
	}));
}

export async function getSpec(db: Kysely<Database>, ctx: LabContext, id: string): Promise<SpecDetail> {
	authorize(ctx.role, 'specs.view');
	const s = await db
		.selectFrom('specification as s')
		.where('s.id', '=', id)
		.where('s.lab_id', '=', ctx.lab.id)
		.selectAll('s')
		.select((eb) => experimentTitle(eb.ref('s.experiment_id')).as('xt'))
		.executeTakeFirst();
	if (!s) throw new DomainError('spec.notFound', 404);
	const [versions, amo] = await Promise.all([
		db
			.selectFrom('specification_version as v')
			.where('v.spec_id', '=', id)
			.select((eb) => ['v.version', 'v.title', 'v.sections', 'v.created_at', accountName(eb.ref('v.author_id')).as('name')])
			.orderBy('v.version', 'desc')
			.execute(),
		s.experiment_id ? roleHolder(db, s.experiment_id, 'amo') : Promise.resolve(null)
	]);
	const latest = versions[0]!;
	return {
		id: s.id,
		kind: s.kind as SpecKind,
		title: s.title,
		state: s.state as SpecState,
		experimentId: s.experiment_id,
		experimentTitle: s.xt,
		rating: s.rating,
		updatedAt: s.updated_at,
		version: s.version,
		sections: JSON.parse(latest.sections) as Section[],
		source: s.source,
		notes: s.notes,
		operator: s.operator,
		awardedCents: s.awarded_cents === null ? null : Number(s.awarded_cents),
		commitmentId: s.commitment_id,
		amo: amo || null,
		versions: versions.map((v) => ({ version: v.version, title: v.title, author: v.name, at: v.created_at }))
	};
}

/** Section by section, what changed between two versions. */
export async function diffSpec(db: Kysely<Database>, ctx: LabContext, id: string, a: number, b: number): Promise<{ title: string; lines: DiffLine[] }[]> {
	authorize(ctx.role, 'specs.view');
	const s = await db.selectFrom('specification').where('id', '=', id).where('lab_id', '=', ctx.lab.id).select('id').executeTakeFirst();
	if (!s) throw new DomainError('spec.notFound', 404);
	const rows = await db.selectFrom('specification_version').where('spec_id', '=', id).where('version', 'in', [a, b]).select(['version', 'sections']).execute();
	const va = rows.find((r) => r.version === a);
	const vb = rows.find((r) => r.version === b);
	if (!va || !vb) throw new DomainError('spec.noVersion', 404);
	const sa = JSON.parse(va.sections) as Section[];
	const sb = JSON.parse(vb.sections) as Section[];
	const keys = [...new Set([...sa.map((x) => x.key), ...sb.map((x) => x.key)])];
	return keys.map((k) => {
		const x = sa.find((s) => s.key === k);
		const y = sb.find((s) => s.key === k);
		return { title: (y ?? x)!.title, lines: diffLines(x?.body ?? '', y?.body ?? '') };
	});
}

/**
 * Drafts a specification for an experiment from a template or an exemplary reference:
 * its sections, with {{titre}}, {{scénario}}, {{commanditaire}} and {{budget}} filled in.
 */
export async function draftFromModel(db: Kysely<Database>, ctx: LabContext, modelId: string, experimentId: string): Promise<string> {
	authorize(ctx.role, 'specs.edit');
	const model = await getSpec(db, ctx, modelId);
	if (model.kind === 'specification') throw new DomainError('spec.notAModel', 400, {}, 'modelId');
	const x = await summaryOf(db, ctx.lab.id, experimentId);
	if (!x) throw new DomainError('experiment.notFound', 404, {}, 'experimentId');
	const budget = await grantedForExperiment(db, experimentId);
	const fill = (t: string) =>
		t
			.replaceAll('{{titre}}', x.title)
			.replaceAll('{{scénario}}', x.scenario)
			.replaceAll('{{commanditaire}}', x.sponsor)
			.replaceAll('{{budget}}', new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(budget / 100));
	return createSpec(db, ctx, 'specification', {
		title: `Cahier des charges — ${x.title}`,
		sections: model.sections.map((s) => ({ ...s, body: fill(s.body) })),
		experimentId
	});
}

/** draft → under review → published, one step at a time. */
export async function advanceSpec(db: Kysely<Database>, ctx: LabContext, id: string, from: SpecState): Promise<void> {
	authorize(ctx.role, 'specs.edit');
	await inTransaction(db, async (trx) => {
		const s = await trx.selectFrom('specification').where('id', '=', id).where('lab_id', '=', ctx.lab.id).select(['state', 'kind']).executeTakeFirst();
		if (!s) throw new DomainError('spec.notFound', 404);
		const to = NEXT[from];
		if (s.kind !== 'specification' || s.state !== from || !to) throw new DomainError('spec.badTransition', 409);
		await trx.updateTable('specification').set({ state: to, updated_at: nowIso() }).where('id', '=', id).where('state', '=', from).execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'spec.advance',
			subjectType: 'specification',
			subjectId: id,
			summary: { from, to }
		});
	});
}

/** Awards a published specification to an operator: the amount becomes a commitment in the fund. */
/** What awarding needs to know of a specification: its state, experiment and title (404 if not in the lab). */
export async function specForAward(db: Kysely<Database>, labId: string, id: string): Promise<{ state: SpecState; experimentId: string | null; title: string }> {
	const s = await db
		.selectFrom('specification')
		.where('id', '=', id)
		.where('lab_id', '=', labId)
		.select(['state', 'experiment_id', 'title'])
		.executeTakeFirst();
	if (!s) throw new DomainError('spec.notFound', 404);
	return { state: s.state as SpecState, experimentId: s.experiment_id, title: s.title };
}

/**
 * Marks a published specification awarded, inside the caller's transaction; refused (409) when
 * it is no longer published, so two awards at once cannot both pass.
 */
export async function markAwarded(trx: Kysely<Database>, id: string, a: { operator: string; amountCents: number }): Promise<void> {
	const res = await trx
		.updateTable('specification')
		.set({ state: 'awarded', operator: a.operator, awarded_cents: a.amountCents, updated_at: nowIso() })
		.where('id', '=', id)
		.where('state', '=', 'published')
		.executeTakeFirst();
	if (Number(res.numUpdatedRows) !== 1) throw new DomainError('spec.badTransition', 409);
}

/** Records the ledger commitment an award created. */
export async function linkCommitment(trx: Kysely<Database>, id: string, commitmentId: string): Promise<void> {
	await trx.updateTable('specification').set({ commitment_id: commitmentId }).where('id', '=', id).execute();
}
