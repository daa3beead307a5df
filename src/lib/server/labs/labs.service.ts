import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { newId, nowIso, toCount, inTransaction } from '../db/util';
import { DomainError } from '../errors';
import { recordAudit } from '../audit';
import { authorize } from '../policy';
import { isRole, type Role } from '$lib/shared/roles';
import type { SessionUser } from '../auth';
import { labIdsOf, memberCount, membershipStats, roleIn, roleOf } from '../members';
import { pendingMailCount } from '../mail';
import { bumpContentVersion } from '../publiccache';

export interface LabSummary {
	id: string;
	slug: string;
	name: string;
	region: string;
	description: string;
}

export interface MyLab extends LabSummary {
	role: Role;
}

/** What every lab-scoped service receives: the lab, who is asking, and their role there. */
export interface LabContext {
	lab: LabSummary;
	actor: SessionUser | null;
	role: Role | null;
}

export const SLUG_RE = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export async function listLabs(db: Kysely<Database>): Promise<(LabSummary & { members: number })[]> {
	const rows = await db
		.selectFrom('lab')
		.select(['lab.id', 'lab.slug', 'lab.name', 'lab.region', 'lab.description'])
		.select((eb) => memberCount(eb.ref('lab.id')).as('members'))
		.orderBy('lab.name')
		.execute();
	return rows.map((r) => ({ ...r, members: toCount(r.members) }));
}

export async function findLabBySlug(db: Kysely<Database>, slug: string): Promise<LabSummary | null> {
	const lab = await db.selectFrom('lab').where('slug', '=', slug).select(['id', 'slug', 'name', 'region', 'description']).executeTakeFirst();
	return lab ?? null;
}

export async function membershipsOf(db: Kysely<Database>, accountId: string): Promise<MyLab[]> {
	const rows = await db
		.selectFrom('lab')
		.where('lab.id', 'in', labIdsOf(accountId))
		.select(['lab.id', 'lab.slug', 'lab.name', 'lab.region', 'lab.description', (eb) => roleIn(eb.ref('lab.id'), accountId).as('role')])
		.orderBy('lab.name')
		.execute();
	return rows.flatMap((r) => (r.role && isRole(r.role) ? [{ ...r, role: r.role }] : []));
}

/** Resolves a lab and the caller's role in it; an unknown slug is a 404. */
export async function labContext(db: Kysely<Database>, slug: string, actor: SessionUser | null): Promise<LabContext> {
	const lab = await findLabBySlug(db, slug);
	if (!lab) throw new DomainError('error.labNotFound', 404);
	const role = actor ? await roleOf(db, lab.id, actor.accountId) : null;
	return { lab, actor, role };
}

/** Creates a lab (installation administration: CLI or admin). */
export async function createLab(
	db: Kysely<Database>,
	actorId: string | null,
	input: { slug: string; name: string; region: string; description?: string }
): Promise<LabSummary> {
	if (!SLUG_RE.test(input.slug)) throw new DomainError('lab.invalidSlug', 400, {}, 'slug');
	if (await findLabBySlug(db, input.slug)) throw new DomainError('lab.slugTaken', 409, {}, 'slug');
	const lab = {
		id: newId(),
		slug: input.slug,
		name: input.name.trim(),
		region: input.region.trim(),
		description: input.description?.trim() ?? ''
	};
	await inTransaction(db, async (trx) => {
		await trx
			.insertInto('lab')
			.values({ ...lab, settings: '{}', created_at: nowIso() })
			.execute();
		await recordAudit(trx, { labId: lab.id, actorId, action: 'lab.create', subjectType: 'lab', subjectId: lab.id, summary: { slug: lab.slug } });
	});
	return lab;
}

export async function labStats(db: Kysely<Database>, ctx: LabContext) {
	authorize(ctx.role, 'lab.viewWorkspace');
	const labId = ctx.lab.id;
	const [members, pendingMail] = await Promise.all([membershipStats(db, labId), pendingMailCount(db, labId)]);
	return { ...members, pendingMail };
}

export interface LabSettings {
	/** Show on the public page which experiments the fund financed, and how much. */
	publishFunding: boolean;
	/** The granting authority the open-data files name (labs/authority.ts). */
	authorityName: string;
	authoritySiret: string;
}
const DEFAULT_SETTINGS: LabSettings = { publishFunding: false, authorityName: '', authoritySiret: '' };
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export async function labSettings(db: Kysely<Database>, labId: string): Promise<LabSettings> {
	const row = await db.selectFrom('lab').where('id', '=', labId).select('settings').executeTakeFirst();
	let parsed: Partial<LabSettings> = {};
	try {
		parsed = JSON.parse(row?.settings ?? '{}') as Partial<LabSettings>;
	} catch {
		parsed = {};
	}
	return {
		...DEFAULT_SETTINGS,
		publishFunding: parsed.publishFunding === true,
		authorityName: text(parsed.authorityName),
		authoritySiret: text(parsed.authoritySiret)
	};
}

export async function updateLabSettings(db: Kysely<Database>, ctx: LabContext, patch: Partial<LabSettings>): Promise<void> {
	authorize(ctx.role, 'lab.settings');
	await inTransaction(db, async (trx) => {
		const next = { ...(await labSettings(trx, ctx.lab.id)), ...patch };
		await trx
			.updateTable('lab')
			.set({ settings: JSON.stringify(next) })
			.where('id', '=', ctx.lab.id)
			.execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'lab.settings',
			subjectType: 'lab',
			subjectId: ctx.lab.id,
			summary: patch
		});
		await bumpContentVersion(trx, ctx.lab.id);
	});
}
