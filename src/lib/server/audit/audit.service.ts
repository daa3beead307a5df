import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { newId, nowIso, toCount, likeEscape } from '../db/util';
import { sql } from 'kysely';
import { authorize } from '../policy';
import type { LabContext } from '../labs';
import { accountName } from '../auth';

export interface AuditInput {
	labId: string | null;
	actorId: string | null;
	action: string;
	subjectType: string;
	subjectId?: string | null;
	summary?: Record<string, unknown>;
}

/** Appends one entry; call it inside the transaction of the write it records. */
export async function recordAudit(db: Kysely<Database>, e: AuditInput): Promise<void> {
	await db
		.insertInto('audit_entry')
		.values({
			id: newId(),
			lab_id: e.labId,
			actor_id: e.actorId,
			action: e.action,
			subject_type: e.subjectType,
			subject_id: e.subjectId ?? null,
			summary: JSON.stringify(e.summary ?? {}),
			created_at: nowIso()
		})
		.execute();
}

export interface AuditFilter {
	action?: string;
	actor?: string;
	from?: string; // YYYY-MM-DD
	to?: string;
	page?: number;
}

export interface AuditRow {
	id: string;
	action: string;
	subjectType: string;
	subjectId: string | null;
	summary: Record<string, unknown>;
	createdAt: string;
	actorId: string | null;
	actorName: string | null;
}

export const AUDIT_PAGE_SIZE = 50;

/** One page of a lab's audit log, newest first. */
export async function listAudit(db: Kysely<Database>, ctx: LabContext, f: AuditFilter): Promise<{ rows: AuditRow[]; total: number; actions: string[] }> {
	authorize(ctx.role, 'audit.view');
	const labId = ctx.lab.id;
	let q = db.selectFrom('audit_entry as a').where('a.lab_id', '=', labId);
	if (f.action) q = q.where('a.action', '=', f.action);
	if (f.actor) {
		const pat = `%${likeEscape(f.actor.toLowerCase())}%`;
		q = q.where((eb) => sql<boolean>`lower((${accountName(eb.ref('a.actor_id'))})) like ${pat} escape '\\'`);
	}
	if (f.from) q = q.where('a.created_at', '>=', `${f.from}T00:00:00.000Z`);
	if (f.to) q = q.where('a.created_at', '<=', `${f.to}T23:59:59.999Z`);
	const page = Math.max(1, f.page ?? 1);
	const [rows, total, actions] = await Promise.all([
		q
			.select([
				'a.id',
				'a.action',
				'a.subject_type',
				'a.subject_id',
				'a.summary',
				'a.created_at',
				'a.actor_id',
				(eb) => accountName(eb.ref('a.actor_id')).as('actor_name')
			])
			.orderBy('a.created_at', 'desc')
			.orderBy('a.id', 'desc')
			.limit(AUDIT_PAGE_SIZE)
			.offset((page - 1) * AUDIT_PAGE_SIZE)
			.execute(),
		q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
		db.selectFrom('audit_entry').where('lab_id', '=', labId).select('action').distinct().orderBy('action').execute()
	]);
	return {
		rows: rows.map((r) => ({
			id: r.id,
			action: r.action,
			subjectType: r.subject_type,
			subjectId: r.subject_id,
			summary: JSON.parse(r.summary) as Record<string, unknown>,
			createdAt: r.created_at,
			actorId: r.actor_id,
			actorName: r.actor_name
		})),
		total: toCount(total.n),
		actions: actions.map((a) => a.action)
	};
}

/** Every lab's latest audit entry time: any write counts as activity (one grouped query). */
export async function lastActivityByLab(db: Kysely<Database>): Promise<Map<string, string | null>> {
	const rows = await db
		.selectFrom('audit_entry')
		.where('lab_id', 'is not', null)
		.select(['lab_id', (eb) => eb.fn.max('created_at').as('last')])
		.groupBy('lab_id')
		.execute();
	return new Map(rows.map((r) => [r.lab_id!, r.last]));
}
