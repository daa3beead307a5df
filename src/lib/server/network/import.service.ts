/**
 * Importing agents into the referent network from a spreadsheet (CSV). An import never makes
 * anyone a referent: it records an invitation and e-mails a link; the agent joins only by
 * consenting on that page.
 *
 * Two steps. `previewImport` reads and checks the whole file, reports every error with its
 * line, and, when the file is clean, keeps its rows in an `import_job` (nothing else is
 * written). `queueImport` queues it; a worker (any server's) then writes the invitations by
 * chunks, each in its own transaction, counting its progress in the job, so a page can follow it.
 */
import type { MessageKey } from '$lib/i18n';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, newId, nowIso } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import { hashToken, newToken } from '../auth';
import { normaliseEmail, peopleByEmail } from '../auth';
import { enqueueMail } from '../mail';
import { networkMails } from '../mail';
import {
	findLabJob,
	JobError,
	jobLabContext,
	jobPayload,
	jobStatus,
	queueJob,
	retryLabJob,
	stageImportJob,
	startQueuedJobHere,
	type JobHandler
} from '../jobs';
import type { LabContext } from '../labs';
import { decodeCsv, type DecodedCsv, type Encoding } from '../csv';
import { INVITATION_TTL_MS, listSkills } from './network.service';
import { type InvitationProfile } from './invitations';
import { fold, parseTerritory, type Territory } from '$lib/shared/network';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;
export const IMPORT_CHUNK = 500;
export const SAMPLE_SIZE = 20;
const JOB_KIND = 'network.invitations';

// ——— Columns and rows ———

export type ColumnField = 'name' | 'email' | 'directorate' | 'service' | 'territory' | 'skills' | 'languages' | 'daysPerMonth';

/** The expected columns, in the template's order: French name first, then accepted aliases. */
export const IMPORT_COLUMNS: { field: ColumnField; header: string; aliases: string[]; required: boolean }[] = [
	{ field: 'name', header: 'nom', aliases: ['name', 'nom complet', 'prenom nom', 'nom prenom', 'full name'], required: true },
	{ field: 'email', header: 'email', aliases: ['e mail', 'mail', 'courriel', 'adresse e mail', 'adresse electronique', 'email address'], required: true },
	{ field: 'directorate', header: 'direction', aliases: ['directorate', 'direction generale'], required: false },
	{ field: 'service', header: 'service', aliases: ['department', 'unit'], required: false },
	{ field: 'territory', header: 'territoire', aliases: ['territory', 'departement'], required: true },
	{ field: 'skills', header: 'competences', aliases: ['skills'], required: false },
	{ field: 'languages', header: 'langues', aliases: ['languages', 'langues parlees'], required: false },
	{ field: 'daysPerMonth', header: 'jours_par_mois', aliases: ['days per month', 'jours mois', 'jours', 'days'], required: false }
];

const HEADER_TO_FIELD = new Map<string, ColumnField>();
for (const col of IMPORT_COLUMNS) for (const h of [col.header, ...col.aliases]) HEADER_TO_FIELD.set(fold(h), col.field);

export const TEMPLATE_HEADER = IMPORT_COLUMNS.map((c) => c.header);

const MAX_TEXT = 200;
const EMAIL_RE = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:]+$/;

export interface ImportError {
	/** Physical line in the file (header = 1). */
	line: number;
	key: MessageKey;
	params: Record<string, string | number>;
}

export interface ImportRow {
	line: number;
	name: string;
	email: string;
	directorate: string;
	service: string;
	territory: Territory;
	/** Labels, as the lab spells them. */
	skills: string[];
	languages: string;
	daysPerMonth: number;
	/** A fingerprint of everything above but the line: the same row imported again is unchanged. */
	hash: string;
}

export type RowStatus = 'new' | 'updated' | 'unchanged';

export interface ImportCounts {
	new: number;
	updated: number;
	unchanged: number;
	total: number;
}

export interface SampleRow {
	line: number;
	name: string;
	email: string;
	directorate: string;
	service: string;
	territory: Territory;
	skills: string[];
	languages: string;
	daysPerMonth: number;
	status: RowStatus;
}

export interface ImportPreview {
	jobId: string | null;
	errors: ImportError[];
	counts: ImportCounts;
	encoding: Encoding;
	sample: SampleRow[];
}

export function rowHash(r: Omit<ImportRow, 'line' | 'hash'>): string {
	const data = [r.name, r.email, r.directorate, r.service, r.territory, [...r.skills].sort(), r.languages, r.daysPerMonth];
	return createHash('sha256').update(JSON.stringify(data)).digest('hex');
}

const profileOf = (r: ImportRow): InvitationProfile => ({
	directorate: r.directorate,
	service: r.service,
	territory: r.territory,
	skills: r.skills,
	languages: r.languages,
	daysPerMonth: r.daysPerMonth
});

/** "4" (a spreadsheet dropped the zero), "04", "Alpes-de-Haute-Provence", "Région"… */
function readTerritory(raw: string): Territory | null {
	const v = raw.trim();
	if (/^\d$/.test(v)) return parseTerritory('0' + v);
	return parseTerritory(v);
}

/**
 * Checks a decoded file against the lab's skills: every error of every line, or the clean
 * rows. Pure (no database), so it is tested on its own.
 */
export function validateRows(csv: DecodedCsv, skills: { label: string }[]): { rows: ImportRow[]; errors: ImportError[]; dataRows: number } {
	const errors: ImportError[] = [];
	const [header, ...data] = csv.records;
	if (!header) return { rows: [], errors: [{ line: 1, key: 'network.import.empty', params: {} }], dataRows: 0 };

	// Columns: every one known, none twice, the required ones present.
	const fieldAt: (ColumnField | null)[] = [];
	const seen = new Set<ColumnField>();
	const unknown: string[] = [];
	for (const h of header.cells) {
		const key = fold(h);
		if (!key) {
			fieldAt.push(null);
			continue;
		}
		const field = HEADER_TO_FIELD.get(key);
		if (!field || seen.has(field)) {
			unknown.push(h.trim());
			fieldAt.push(null);
			continue;
		}
		seen.add(field);
		fieldAt.push(field);
	}
	const missing = IMPORT_COLUMNS.filter((c) => c.required && !seen.has(c.field)).map((c) => c.header);
	if (missing.length || unknown.length) {
		const expected = TEMPLATE_HEADER.join(', ');
		if (missing.length && unknown.length)
			errors.push({
				line: header.line,
				key: 'network.import.badColumns',
				params: { missing: missing.join(', '), missingCount: missing.length, unknown: unknown.join(', '), unknownCount: unknown.length, expected }
			});
		else if (missing.length)
			errors.push({ line: header.line, key: 'network.import.missingColumns', params: { columns: missing.join(', '), count: missing.length, expected } });
		else errors.push({ line: header.line, key: 'network.import.unknownColumns', params: { columns: unknown.join(', '), count: unknown.length, expected } });
		return { rows: [], errors, dataRows: data.length };
	}
	if (csv.unclosedQuoteLine !== null) errors.push({ line: csv.unclosedQuoteLine, key: 'network.import.unclosedQuote', params: {} });

	const skillByFold = new Map(skills.map((s) => [fold(s.label), s.label]));
	const firstLineOf = new Map<string, number>();
	const rows: ImportRow[] = [];

	for (const rec of data) {
		const line = rec.line;
		const before = errors.length;
		const get = (f: ColumnField): string => {
			const i = fieldAt.indexOf(f);
			return i < 0 ? '' : (rec.cells[i] ?? '').trim();
		};
		const extra = rec.cells.slice(fieldAt.length).filter((c) => c.trim() !== '');
		if (extra.length) errors.push({ line, key: 'network.import.tooManyCells', params: { count: fieldAt.length + extra.length, expected: fieldAt.length } });

		const name = get('name').replace(/\s+/g, ' ');
		if (!name) errors.push({ line, key: 'network.import.nameRequired', params: {} });
		else if (name.length > MAX_TEXT) errors.push({ line, key: 'network.import.tooLong', params: { column: 'nom', max: MAX_TEXT } });

		const rawEmail = get('email');
		const email = normaliseEmail(rawEmail);
		let emailOk = false;
		if (!email) errors.push({ line, key: 'network.import.emailRequired', params: {} });
		else if (email.length > 254 || !EMAIL_RE.test(email)) errors.push({ line, key: 'network.import.emailInvalid', params: { value: rawEmail.slice(0, 80) } });
		else emailOk = true;
		if (emailOk) {
			const first = firstLineOf.get(email);
			if (first !== undefined) errors.push({ line, key: 'network.import.duplicateEmail', params: { email, first } });
			else firstLineOf.set(email, line);
		}

		const directorate = get('directorate').replace(/\s+/g, ' ');
		if (directorate.length > MAX_TEXT) errors.push({ line, key: 'network.import.tooLong', params: { column: 'direction', max: MAX_TEXT } });
		const service = get('service').replace(/\s+/g, ' ');
		if (service.length > MAX_TEXT) errors.push({ line, key: 'network.import.tooLong', params: { column: 'service', max: MAX_TEXT } });
		const languages = get('languages').replace(/\s+/g, ' ');
		if (languages.length > MAX_TEXT) errors.push({ line, key: 'network.import.tooLong', params: { column: 'langues', max: MAX_TEXT } });

		const rawTerritory = get('territory');
		const territory = rawTerritory ? readTerritory(rawTerritory) : null;
		if (!rawTerritory) errors.push({ line, key: 'network.import.territoryRequired', params: {} });
		else if (!territory) errors.push({ line, key: 'network.import.territoryInvalid', params: { value: rawTerritory.slice(0, 80) } });

		const wanted = get('skills')
			.split(/[|,\n]/)
			.map((s) => s.trim())
			.filter(Boolean);
		const labels: string[] = [];
		const unknownSkills: string[] = [];
		for (const w of wanted) {
			const label = skillByFold.get(fold(w));
			if (!label) unknownSkills.push(w.slice(0, 80));
			else if (!labels.includes(label)) labels.push(label);
		}
		if (unknownSkills.length)
			errors.push({ line, key: 'network.import.unknownSkills', params: { skills: unknownSkills.join(', '), count: unknownSkills.length } });

		const rawDays = get('daysPerMonth');
		let daysPerMonth = 1;
		if (rawDays !== '') {
			const n = Number(rawDays.replace(',', '.'));
			if (!/^\d+([.,]0+)?$/.test(rawDays) || !Number.isInteger(n) || n < 0 || n > 31)
				errors.push({ line, key: 'network.import.daysInvalid', params: { value: rawDays.slice(0, 20) } });
			else daysPerMonth = n;
		}

		if (errors.length === before && territory) {
			const row = { name, email, directorate, service, territory, skills: labels, languages, daysPerMonth };
			rows.push({ line, ...row, hash: rowHash(row) });
		}
	}
	return { rows, errors, dataRows: data.length };
}

// ——— Status against the database ———

interface Known {
	invitations: Map<string, { id: string; rowHash: string; acceptedAt: string | null; expiresAt: string | null }>;
	/** E-mails of people who have (or had, and withdrew) a profile in this lab. */
	referents: Set<string>;
}

async function knownFor(db: Kysely<Database>, labId: string, emails: string[]): Promise<Known> {
	const invitations: Known['invitations'] = new Map();
	const referents = new Set<string>();
	for (let i = 0; i < emails.length; i += IMPORT_CHUNK) {
		const part = emails.slice(i, i + IMPORT_CHUNK);
		const [inv, people] = await Promise.all([
			db
				.selectFrom('network_invitation')
				.where('lab_id', '=', labId)
				.where('email', 'in', part)
				.select(['id', 'email', 'row_hash', 'accepted_at', 'expires_at'])
				.execute(),
			peopleByEmail(db, part)
		]);
		// Of the people these addresses stand for, those with a profile in this lab.
		const inLab = people.length
			? new Set(
					(
						await db
							.selectFrom('referent')
							.where('lab_id', '=', labId)
							.where('person_id', 'in', [...new Set(people.map((p) => p.personId))])
							.select('person_id')
							.execute()
					).map((r) => r.person_id)
				)
			: new Set<string>();
		const refs = people.filter((p) => inLab.has(p.personId));
		for (const r of inv) invitations.set(r.email, { id: r.id, rowHash: r.row_hash, acceptedAt: r.accepted_at, expiresAt: r.expires_at });
		for (const r of refs) {
			if (r.personEmail) referents.add(normaliseEmail(r.personEmail));
			if (r.accountEmail) referents.add(normaliseEmail(r.accountEmail));
		}
	}
	return { invitations, referents };
}

/**
 * What an import would do with a row. Someone already in the network is left alone; so is
 * someone who withdrew (an import must not undo a withdrawal by soliciting them again) and
 * someone who already accepted an invitation.
 */
function statusOf(row: ImportRow, known: Known): RowStatus {
	if (known.referents.has(row.email)) return 'unchanged';
	const inv = known.invitations.get(row.email);
	if (!inv) return 'new';
	if (inv.acceptedAt || inv.rowHash === row.hash) return 'unchanged';
	return 'updated';
}

// ——— Preview ———

/**
 * Reads and checks a file. Every error comes back with its line; with any error nothing is
 * stored. A clean file is kept in an import job, ready for `runImport`.
 */
export async function previewImport(db: Kysely<Database>, ctx: LabContext, bytes: Buffer | Uint8Array, fileName: string): Promise<ImportPreview> {
	authorize(ctx.role, 'network.import');
	if (bytes.length > MAX_IMPORT_BYTES) throw new DomainError('network.import.tooLarge', 413, { max: MAX_IMPORT_BYTES / 1024 / 1024 }, 'file');
	const csv = decodeCsv(bytes);
	if (csv.records.length - 1 > MAX_IMPORT_ROWS) throw new DomainError('network.import.tooManyRows', 400, { max: MAX_IMPORT_ROWS }, 'file');

	const skills = await listSkills(db, ctx.lab.id);
	const { rows, errors, dataRows } = validateRows(csv, skills);
	if (!errors.length && !rows.length) errors.push({ line: 2, key: 'network.import.noRows', params: {} });

	const known = await knownFor(
		db,
		ctx.lab.id,
		rows.map((r) => r.email)
	);
	const counts: ImportCounts = { new: 0, updated: 0, unchanged: 0, total: errors.length ? dataRows : rows.length };
	const sample: SampleRow[] = [];
	for (const r of rows) {
		const status = statusOf(r, known);
		counts[status]++;
		if (sample.length < SAMPLE_SIZE)
			sample.push({
				line: r.line,
				name: r.name,
				email: r.email,
				directorate: r.directorate,
				service: r.service,
				territory: r.territory,
				skills: r.skills,
				languages: r.languages,
				daysPerMonth: r.daysPerMonth,
				status
			});
	}

	const jobId = errors.length
		? null
		: await stageImportJob(db, {
				labId: ctx.lab.id,
				kind: JOB_KIND,
				fileName,
				total: rows.length,
				payload: JSON.stringify(rows),
				createdBy: ctx.actor?.accountId ?? null
			});
	return { jobId, errors, counts, encoding: csv.encoding, sample };
}

// ——— Run ———

export type JobState = 'ready' | 'queued' | 'running' | 'done' | 'failed';

export interface ImportResult {
	new: number;
	updated: number;
	unchanged: number;
	total: number;
	/** The message key of the failure, when the job failed. */
	error?: string;
}

export interface ImportProgress {
	state: JobState;
	total: number;
	done: number;
	fileName: string;
	attempts: number;
	maxAttempts: number;
	result: Partial<ImportResult>;
}

async function checkJob(db: Kysely<Database>, ctx: LabContext, jobId: string): Promise<void> {
	authorize(ctx.role, 'network.import');
	if (!(await findLabJob(db, { id: jobId, labId: ctx.lab.id, kind: JOB_KIND }))) throw new DomainError('network.import.jobNotFound', 404);
}

/**
 * The "Importer" button: authorises and queues a ready job, which a worker (on any server)
 * then writes. Errors about the job itself (unknown, already queued or run) are thrown here.
 */
export async function queueImport(db: Kysely<Database>, ctx: LabContext, jobId: string, origin: string): Promise<void> {
	await checkJob(db, ctx, jobId);
	if (!(await queueJob(db, { id: jobId, labId: ctx.lab.id, kind: JOB_KIND, origin: origin.replace(/\/+$/, '') })))
		throw new DomainError('network.import.jobNotReady', 409);
}

/** The retry button of a failed import: queued again, resuming after its committed chunks. */
export async function retryImport(db: Kysely<Database>, ctx: LabContext, jobId: string): Promise<void> {
	await checkJob(db, ctx, jobId);
	await retryLabJob(db, ctx, { id: jobId, kind: JOB_KIND }, { notFailed: 'network.import.jobNotFailed', action: 'network.importRetry' });
}

/**
 * Queues a ready job and runs it in this process at once (scripts, tests); `finished` settles
 * when the job is `done` (its counts) or `failed` (its error).
 */
export async function startImport(db: Kysely<Database>, ctx: LabContext, jobId: string, origin: string): Promise<{ finished: Promise<ImportResult> }> {
	await queueImport(db, ctx, jobId, origin);
	return startQueuedJobHere<ImportResult>(db, jobId, 'network.import.jobNotReady');
}

/** Writes a ready job's invitations and waits until it is done (or failed). */
export async function runImport(db: Kysely<Database>, ctx: LabContext, jobId: string, origin: string): Promise<ImportResult> {
	const { finished } = await startImport(db, ctx, jobId, origin);
	return finished;
}

/**
 * The worker's side: writes the invitations chunk by chunk, each chunk in one transaction with
 * the job's progress (`done`, the counts so far). A job taken over after its server died, or
 * retried, starts again after its last committed chunk, so no row is written twice.
 */
export const invitationJob: JobHandler = {
	failedKey: 'network.import.failed',
	async run(job, jc) {
		const db = jc.db;
		const prev = JSON.parse(job.result || '{}') as Partial<ImportResult>;
		let counts: ImportResult = { new: prev.new ?? 0, updated: prev.updated ?? 0, unchanged: prev.unchanged ?? 0, total: job.total };
		try {
			const ctx = await jobLabContext(db, job);
			authorize(ctx.role, 'network.import');
			const { origin, body } = jobPayload(job.payload);
			const rows = JSON.parse(body) as ImportRow[];
			counts.total = rows.length;
			for (let i = job.done; i < rows.length; i += IMPORT_CHUNK) {
				const chunk = rows.slice(i, i + IMPORT_CHUNK);
				counts = await inTransaction(db, async (trx) => {
					const c = await writeChunk(trx, ctx, chunk, origin);
					const next = { ...counts, new: counts.new + c.new, updated: counts.updated + c.updated, unchanged: counts.unchanged + c.unchanged };
					await jc.step(trx, { done: i + chunk.length, result: next });
					return next;
				});
			}
			await inTransaction(db, async (trx) => {
				await jc.finish(trx, counts, { done: rows.length, payload: '[]' });
				await recordAudit(trx, {
					labId: ctx.lab.id,
					actorId: ctx.actor?.accountId ?? null,
					action: 'network.import',
					subjectType: 'import_job',
					subjectId: job.id,
					summary: { file: job.file_name, ...counts }
				});
			});
			return counts;
		} catch (e) {
			// A refusal (a role lost meanwhile) is final; anything else is tried again.
			if (e instanceof DomainError) throw new JobError(e.message, { ...counts, error: e.code }, true, e);
			throw e;
		}
	}
};

/** One chunk, in the caller's transaction: status read again now, since time has passed. */
async function writeChunk(trx: Kysely<Database>, ctx: LabContext, chunk: ImportRow[], base: string): Promise<Omit<ImportCounts, 'total'>> {
	const known = await knownFor(
		trx,
		ctx.lab.id,
		chunk.map((r) => r.email)
	);
	const out = { new: 0, updated: 0, unchanged: 0 };
	const now = nowIso();
	const inserts: Database['network_invitation'][] = [];
	const mails: { to: string; name: string; token: string }[] = [];
	const expiresAt = new Date(Date.now() + INVITATION_TTL_MS).toISOString();
	for (const row of chunk) {
		const status = statusOf(row, known);
		out[status]++;
		const inv = known.invitations.get(row.email);
		// Someone whose invitation lapsed unanswered is invited again, with a new link.
		if (status !== 'new' && inv && !inv.acceptedAt && !known.referents.has(row.email) && (!inv.expiresAt || inv.expiresAt <= now)) {
			const token = newToken();
			await trx
				.updateTable('network_invitation')
				.set({ token_hash: hashToken(token), expires_at: expiresAt, updated_at: now })
				.where('id', '=', inv.id)
				.execute();
			mails.push({ to: row.email, name: row.name, token });
		}
		if (status === 'updated') {
			await trx
				.updateTable('network_invitation')
				.set({ name: row.name, profile: JSON.stringify(profileOf(row)), row_hash: row.hash, updated_at: now })
				.where('id', '=', known.invitations.get(row.email)!.id)
				.execute();
		} else if (status === 'new') {
			const token = newToken();
			inserts.push({
				id: newId(),
				lab_id: ctx.lab.id,
				email: row.email,
				name: row.name,
				profile: JSON.stringify(profileOf(row)),
				row_hash: row.hash,
				token_hash: hashToken(token),
				expires_at: expiresAt,
				accepted_at: null,
				created_at: now,
				updated_at: now
			});
			mails.push({ to: row.email, name: row.name, token });
		}
	}
	// 100 rows × 10 columns stays far below both dialects' limits on bound parameters.
	for (let i = 0; i < inserts.length; i += 100)
		await trx
			.insertInto('network_invitation')
			.values(inserts.slice(i, i + 100))
			.execute();
	for (const m of mails) {
		const mail = networkMails.invitation({ name: m.name, labName: ctx.lab.name, url: `${base}/l/${ctx.lab.slug}/network/join/${m.token}` });
		await enqueueMail(trx, { labId: ctx.lab.id, to: m.to, subject: mail.subject, text: mail.text });
	}
	return out;
}

// ——— Progress ———

export async function jobProgress(db: Kysely<Database>, ctx: LabContext, jobId: string): Promise<ImportProgress> {
	authorize(ctx.role, 'network.import');
	const job = await jobStatus(db, { id: jobId, labId: ctx.lab.id, kind: JOB_KIND });
	if (!job) throw new DomainError('network.import.jobNotFound', 404);
	return { ...job, result: job.result as Partial<ImportResult> };
}

/** The template offered for download: the header and one example row. */
export function templateRows(skills: { label: string }[]): string[][] {
	return [
		[
			'Camille Exemple',
			'camille.exemple@region.example',
			'Direction des lycées',
			'Service de la vie lycéenne',
			'13',
			skills
				.slice(0, 2)
				.map((s) => s.label)
				.join('|'),
			'anglais, italien',
			'2'
		]
	];
}
