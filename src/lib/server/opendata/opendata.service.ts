import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, newId, nowIso } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import { grantRecords } from '../fund';
import { grantingAuthority, type LabContext } from '../labs';
import {
	authorityMissing,
	grantRow,
	periodOfFileName,
	subventionsCsv,
	subventionsFileName,
	type Authority,
	type MissingKey,
	type SubventionsRow
} from './subventions';

export interface GrantCheck {
	requestId: string;
	title: string;
	year: number;
	grantedCents: number;
	/** Empty: the grant is in the file. */
	missing: MissingKey[];
}

export interface SubventionsBuild {
	authority: Authority;
	authorityMissing: MissingKey[];
	/** The year asked for, or null for all years. */
	year: number | null;
	/** Budget years that have approved requests, newest first. */
	years: number[];
	grants: GrantCheck[];
	rows: SubventionsRow[];
	csv: string;
}

/** The grants file of a lab, and per approved request whether it is in it or what it lacks. No policy check: see prepareSubventions. */
export async function buildSubventions(db: Kysely<Database>, labId: string, year: number | null = null): Promise<SubventionsBuild> {
	const [authority, all] = await Promise.all([grantingAuthority(db, labId), grantRecords(db, labId)]);
	const years = [...new Set(all.map((g) => g.year))].sort((a, b) => b - a);
	const grants: GrantCheck[] = [];
	const rows: SubventionsRow[] = [];
	for (const g of all) {
		if (year !== null && g.year !== year) continue;
		const { row, missing } = grantRow(authority, g);
		grants.push({ requestId: g.requestId, title: g.title, year: g.year, grantedCents: g.grantedCents, missing });
		if (row) rows.push(row);
	}
	return { authority, authorityMissing: authorityMissing(authority), year, years, grants, rows, csv: subventionsCsv(rows) };
}

/** The preparation view: coordinators only. */
export async function prepareSubventions(db: Kysely<Database>, ctx: LabContext, year: number | null = null): Promise<SubventionsBuild> {
	authorize(ctx.role, 'lab.settings');
	return buildSubventions(db, ctx.lab.id, year);
}

/**
 * Publishes the grants file of a year (or of all years): a snapshot replacing the one published
 * before for that period, in one transaction with its audit entry. Refused while nothing is complete.
 */
export async function publishSubventions(db: Kysely<Database>, ctx: LabContext, year: number | null = null): Promise<{ fileName: string; rows: number }> {
	authorize(ctx.role, 'lab.settings');
	const period = year === null ? 'all' : String(year);
	return inTransaction(db, async (trx) => {
		const built = await buildSubventions(trx, ctx.lab.id, year);
		if (built.authorityMissing.length) throw new DomainError('opendata.authorityMissing', 409);
		if (built.rows.length === 0) throw new DomainError('opendata.nothingToPublish', 409);
		const now = nowIso();
		const actorId = ctx.actor?.accountId ?? null;
		await trx
			.insertInto('open_data_file')
			.values({
				id: newId(),
				lab_id: ctx.lab.id,
				dataset: 'subventions',
				period,
				content: built.csv,
				row_count: built.rows.length,
				published_by: actorId,
				published_at: now
			})
			.onConflict((oc) =>
				oc.columns(['lab_id', 'dataset', 'period']).doUpdateSet({ content: built.csv, row_count: built.rows.length, published_by: actorId, published_at: now })
			)
			.execute();
		const file = await trx
			.selectFrom('open_data_file')
			.where('lab_id', '=', ctx.lab.id)
			.where('dataset', '=', 'subventions')
			.where('period', '=', period)
			.select('id')
			.executeTakeFirstOrThrow();
		const left = built.grants.filter((g) => g.missing.length).length;
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId,
			action: 'opendata.publish',
			subjectType: 'open_data_file',
			subjectId: file.id,
			summary: { dataset: 'subventions', period, rows: built.rows.length, incomplete: left }
		});
		return { fileName: subventionsFileName(period), rows: built.rows.length };
	});
}

export interface PublishedFile {
	dataset: string;
	period: string;
	fileName: string;
	rows: number;
	publishedAt: string;
}

/** The lab's published files: public (anyone who may see the lab's public page). */
export async function publishedFiles(db: Kysely<Database>, ctx: LabContext): Promise<PublishedFile[]> {
	authorize(ctx.role, 'lab.viewPublic');
	const rows = await db
		.selectFrom('open_data_file')
		.where('lab_id', '=', ctx.lab.id)
		.select(['dataset', 'period', 'row_count', 'published_at'])
		.orderBy('dataset')
		.orderBy('period', 'desc')
		.execute();
	return rows.map((r) => ({
		dataset: r.dataset,
		period: r.period,
		fileName: subventionsFileName(r.period),
		rows: Number(r.row_count),
		publishedAt: r.published_at
	}));
}

/** One published file's text, by its name; an unknown name is a 404. */
export async function publishedFile(
	db: Kysely<Database>,
	ctx: LabContext,
	fileName: string
): Promise<{ fileName: string; content: string; publishedAt: string }> {
	authorize(ctx.role, 'lab.viewPublic');
	const period = periodOfFileName(fileName);
	if (!period) throw new DomainError('opendata.fileNotFound', 404);
	const row = await db
		.selectFrom('open_data_file')
		.where('lab_id', '=', ctx.lab.id)
		.where('dataset', '=', 'subventions')
		.where('period', '=', period)
		.select(['content', 'published_at'])
		.executeTakeFirst();
	if (!row) throw new DomainError('opendata.fileNotFound', 404);
	return { fileName, content: row.content, publishedAt: row.published_at };
}
