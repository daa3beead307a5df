/**
 * Importing a co-production session's participants from a spreadsheet (CSV), with the same
 * rules as the network import: the whole file is read and checked first, every error comes
 * back with its physical line, and nothing is written unless the whole file is clean.
 *
 * `previewParticipants` reads and checks a file and says, row by row, what an import would do
 * (new / updated / unchanged against the session's current participants); it writes nothing.
 * `importParticipants` runs the same checks again and writes every row in one transaction
 * (through `addParticipants`, which updates rather than duplicates, so importing the same file
 * twice changes nothing).
 *
 * Between the two steps the page keeps the checked file in an `import_job` (`stageParticipants`
 * then `queueStaged`), so the organiser confirms without choosing the file again; a worker
 * writes it (`participantsJob`).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction } from '../db/util';
import {
	findLabJob,
	JobError,
	jobLabContext,
	jobStatus,
	queueJob,
	retryLabJob,
	stageImportJob,
	startQueuedJobHere,
	type JobHandler,
	type JobStatus
} from '../jobs';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import type { LabContext } from '../labs';
import { decodeCsv, type DecodedCsv, type Encoding } from '../csv';
import type { ImportError } from '../network';
import { addParticipants, listParticipants, loadEvent, participantKey, participantStatus, sessionAttributes, type ParticipantInput } from './sessions.service';
import { type ActorType, type Scale, type SessionAttribute } from '$lib/shared/sessions';
import { fold } from '$lib/shared/network';

export const MAX_SESSION_IMPORT_BYTES = 2 * 1024 * 1024;
export const MAX_SESSION_IMPORT_ROWS = 2_000;
const JOB_KIND = 'session';

export type { ImportError };

// ——— Columns ———

export type BuiltinField = 'name' | 'email' | 'organisation' | 'actorType' | 'scale' | 'directorate';

/** The built-in columns, in the template's order: French header first, then accepted aliases. */
export const SESSION_COLUMNS: { field: BuiltinField; header: string; aliases: string[]; required: boolean }[] = [
	{ field: 'name', header: 'nom', aliases: ['name', 'nom complet', 'prenom nom', 'nom prenom', 'full name', 'participant'], required: true },
	{ field: 'email', header: 'email', aliases: ['e mail', 'mail', 'courriel', 'adresse e mail', 'adresse electronique', 'email address'], required: false },
	{ field: 'organisation', header: 'organisation', aliases: ['organization', 'organisme', 'structure'], required: false },
	{ field: 'actorType', header: 'type_acteur', aliases: ['type d acteur', 'actor type', 'actortype', 'type'], required: false },
	{ field: 'scale', header: 'echelle', aliases: ['echelle territoriale', 'scale', 'territorial scale'], required: false },
	{ field: 'directorate', header: 'direction', aliases: ['directorate'], required: false }
];

/** Values accepted for each code (compared folded: case, accents, dashes and apostrophes ignored). */
const ACTOR_TYPE_WORDS: Record<ActorType, string[]> = {
	public: ['public', 'publique', 'acteur public', 'secteur public'],
	private: ['prive', 'privee', 'private', 'acteur prive', 'secteur prive', 'entreprise'],
	institutional: ['institutionnel', 'institutionnelle', 'institutional', 'institution'],
	associative: ['associatif', 'associative', 'association'],
	citizen: ['citoyen', 'citoyenne', 'citizen', 'habitant', 'habitante']
};
const SCALE_WORDS: Record<Scale, string[]> = {
	commune: ['commune', 'communal', 'communale', 'municipal', 'municipality', 'ville'],
	intercommunality: ['intercommunalite', 'intercommunal', 'intercommunale', 'intercommunality', 'epci'],
	departement: ['departement', 'departemental', 'departementale', 'department', 'departmental'],
	region: ['region', 'regional', 'regionale'],
	state: ['etat', 'state', 'national', 'nationale']
};

function lookup<T extends string>(words: Record<T, string[]>): Map<string, T> {
	const m = new Map<string, T>();
	for (const [code, list] of Object.entries(words) as [T, string[]][]) for (const w of [code, ...list]) m.set(fold(w), code);
	return m;
}
const ACTOR_TYPE_BY_WORD = lookup(ACTOR_TYPE_WORDS);
const SCALE_BY_WORD = lookup(SCALE_WORDS);
/** What the error messages list as accepted values (French first). */
const ACTOR_TYPES_FR = 'public, privé, institutionnel, associatif, citoyen';
const SCALES_FR = 'commune, intercommunalité, département, région, État';

/** A column of the file: a built-in field or one of the lab's own attributes. */
type Column = { kind: 'builtin'; field: BuiltinField } | { kind: 'attribute'; attribute: SessionAttribute & { label: string } };

/** The header of the template: the built-in columns, then the lab's own attribute labels. */
export function templateHeader(attributes: SessionAttribute[]): string[] {
	return [...SESSION_COLUMNS.map((c) => c.header), ...labAttributes(attributes).map((a) => a.label)];
}

/** The template's example row, one value per column of `templateHeader`. */
export function templateRow(attributes: SessionAttribute[]): string[] {
	return [
		'Camille Exemple',
		'camille.exemple@example.org',
		'Commune de Digne-les-Bains',
		'public',
		'commune',
		'Direction de la citoyenneté',
		...labAttributes(attributes).map((a) => (a.kind === 'numeric' ? '3' : ''))
	];
}

const labAttributes = (attributes: SessionAttribute[]) => attributes.filter((a): a is SessionAttribute & { label: string } => a.label !== null);

// ——— Rows ———

const MAX_NAME = 120;
const MAX_TEXT = 200;
const EMAIL_RE = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:]+$/;
const NUMBER_RE = /^[-+]?(\d+([.,]\d*)?|[.,]\d+)$/;

export type RowStatus = 'new' | 'updated' | 'unchanged';

export interface SessionImportRow extends ParticipantInput {
	/** Physical line in the file (header = 1). */
	line: number;
	status: RowStatus;
}

export interface SessionImportCounts {
	new: number;
	updated: number;
	unchanged: number;
	/** Rows read under the header (clean or not). */
	total: number;
}

export interface SessionImportPreview {
	/** Every error of the file, in line order; nothing may be imported while there is one. */
	errors: ImportError[];
	/** The clean rows, with what an import would do with each. */
	rows: SessionImportRow[];
	counts: SessionImportCounts;
	encoding: Encoding;
}

/**
 * Checks a decoded file against the lab's attributes: every error of every line, and the clean
 * rows. Pure (no database).
 */
export function validateParticipantRows(
	csv: DecodedCsv,
	attributes: SessionAttribute[]
): { rows: (ParticipantInput & { line: number })[]; errors: ImportError[]; dataRows: number } {
	const errors: ImportError[] = [];
	const [header, ...data] = csv.records;
	if (!header) return { rows: [], errors: [{ line: 1, key: 'session.import.empty', params: {} }], dataRows: 0 };

	// Headers: built-in ones win over a lab attribute that would be spelled the same.
	const byHeader = new Map<string, Column>();
	for (const a of labAttributes(attributes)) {
		byHeader.set(fold(a.label), { kind: 'attribute', attribute: a });
		byHeader.set(fold(a.key), { kind: 'attribute', attribute: a });
	}
	for (const c of SESSION_COLUMNS) for (const h of [c.header, ...c.aliases]) byHeader.set(fold(h), { kind: 'builtin', field: c.field });
	const expected = templateHeader(attributes).join(', ');

	const columnAt: (Column | null)[] = [];
	const seen = new Set<string>();
	const unknown: string[] = [];
	for (const h of header.cells) {
		const key = fold(h);
		if (!key) {
			columnAt.push(null);
			continue;
		}
		const col = byHeader.get(key);
		const id = col ? (col.kind === 'builtin' ? col.field : `x:${col.attribute.key}`) : '';
		if (!col || seen.has(id)) {
			unknown.push(h.trim());
			columnAt.push(null);
			continue;
		}
		seen.add(id);
		columnAt.push(col);
	}
	const missing = SESSION_COLUMNS.filter((c) => c.required && !seen.has(c.field)).map((c) => c.header);
	if (missing.length || unknown.length) {
		if (missing.length && unknown.length)
			errors.push({
				line: header.line,
				key: 'session.import.badColumns',
				params: { missing: missing.join(', '), missingCount: missing.length, unknown: unknown.join(', '), unknownCount: unknown.length, expected }
			});
		else if (missing.length)
			errors.push({ line: header.line, key: 'session.import.missingColumns', params: { columns: missing.join(', '), count: missing.length, expected } });
		else errors.push({ line: header.line, key: 'session.import.unknownColumns', params: { columns: unknown.join(', '), count: unknown.length, expected } });
		return { rows: [], errors, dataRows: data.length };
	}
	if (csv.unclosedQuoteLine !== null) errors.push({ line: csv.unclosedQuoteLine, key: 'session.import.unclosedQuote', params: {} });

	const builtinAt = new Map<BuiltinField, number>();
	const attributeAt: { index: number; attribute: SessionAttribute & { label: string } }[] = [];
	columnAt.forEach((c, i) => {
		if (c?.kind === 'builtin') builtinAt.set(c.field, i);
		else if (c?.kind === 'attribute') attributeAt.push({ index: i, attribute: c.attribute });
	});
	// `extra` in the lab's attribute order, so that it compares equal from one import to the next.
	const order = new Map(labAttributes(attributes).map((a, i) => [a.key, i]));
	attributeAt.sort((a, b) => order.get(a.attribute.key)! - order.get(b.attribute.key)!);

	const firstLineOf = new Map<string, number>();
	const rows: (ParticipantInput & { line: number })[] = [];
	for (const rec of data) {
		const line = rec.line;
		const before = errors.length;
		const cell = (i: number | undefined) => (i === undefined ? '' : (rec.cells[i] ?? '').trim());
		const text = (f: BuiltinField) => cell(builtinAt.get(f)).replace(/\s+/g, ' ');

		const overflow = rec.cells.slice(columnAt.length).filter((c) => c.trim() !== '');
		if (overflow.length)
			errors.push({ line, key: 'session.import.tooManyCells', params: { count: columnAt.length + overflow.length, expected: columnAt.length } });

		const name = text('name');
		if (!name) errors.push({ line, key: 'session.import.nameRequired', params: {} });
		else if (name.length > MAX_NAME) errors.push({ line, key: 'session.import.tooLong', params: { column: 'nom', max: MAX_NAME } });

		const rawEmail = cell(builtinAt.get('email'));
		const email = rawEmail.toLowerCase();
		let emailOk = true;
		if (email && (email.length > 254 || !EMAIL_RE.test(email))) {
			errors.push({ line, key: 'session.import.emailInvalid', params: { value: rawEmail.slice(0, 80) } });
			emailOk = false;
		}

		const organisation = text('organisation');
		if (organisation.length > MAX_TEXT) errors.push({ line, key: 'session.import.tooLong', params: { column: 'organisation', max: MAX_TEXT } });
		const directorate = text('directorate');
		if (directorate.length > MAX_TEXT) errors.push({ line, key: 'session.import.tooLong', params: { column: 'direction', max: MAX_TEXT } });

		const rawActor = text('actorType');
		const actorType = rawActor ? ACTOR_TYPE_BY_WORD.get(fold(rawActor)) : '';
		if (actorType === undefined)
			errors.push({ line, key: 'session.import.actorTypeInvalid', params: { value: rawActor.slice(0, 80), expected: ACTOR_TYPES_FR } });
		const rawScale = text('scale');
		const scale = rawScale ? SCALE_BY_WORD.get(fold(rawScale)) : '';
		if (scale === undefined) errors.push({ line, key: 'session.import.scaleInvalid', params: { value: rawScale.slice(0, 80), expected: SCALES_FR } });

		const extra: Record<string, string> = {};
		for (const { index, attribute } of attributeAt) {
			const raw = cell(index).replace(/\s+/g, ' ');
			if (!raw) continue;
			if (attribute.kind === 'numeric') {
				const compact = raw.replace(/\s/g, '');
				const n = Number(compact.replace(',', '.'));
				if (!NUMBER_RE.test(compact) || !Number.isFinite(n))
					errors.push({ line, key: 'session.import.numberInvalid', params: { column: attribute.label, value: raw.slice(0, 40) } });
				else extra[attribute.key] = String(n);
			} else if (raw.length > MAX_TEXT) errors.push({ line, key: 'session.import.tooLong', params: { column: attribute.label, max: MAX_TEXT } });
			else extra[attribute.key] = raw;
		}

		// The same person twice: the later line names the first.
		if (name && emailOk) {
			const key = participantKey({ email, name });
			const first = firstLineOf.get(key);
			if (first === undefined) firstLineOf.set(key, line);
			else if (email) errors.push({ line, key: 'session.import.duplicateEmail', params: { email, first } });
			else errors.push({ line, key: 'session.import.duplicateName', params: { name, first } });
		}

		if (errors.length === before) rows.push({ line, name, email, organisation, actorType: actorType ?? '', scale: scale ?? '', directorate, extra });
	}
	return { rows, errors, dataRows: data.length };
}

/** What the import page shows before any file: the event and the lab's own columns. */
export async function importContext(db: Kysely<Database>, ctx: LabContext, eventId: string) {
	authorize(ctx.role, 'events.edit');
	const event = await loadEvent(db, ctx.lab.id, eventId);
	const attributes = await sessionAttributes(db, ctx.lab.id);
	return {
		event,
		attributes: labAttributes(attributes).map((a) => ({ key: a.key, label: a.label, kind: a.kind })),
		header: templateHeader(attributes),
		example: templateRow(attributes)
	};
}

// ——— Preview and import ———

/** Reads and checks a file; writes nothing. */
export async function previewParticipants(db: Kysely<Database>, ctx: LabContext, eventId: string, bytes: Buffer | Uint8Array): Promise<SessionImportPreview> {
	authorize(ctx.role, 'events.edit');
	if (bytes.length > MAX_SESSION_IMPORT_BYTES) throw new DomainError('session.import.tooLarge', 413, { max: MAX_SESSION_IMPORT_BYTES / 1024 / 1024 }, 'file');
	await loadEvent(db, ctx.lab.id, eventId);
	const csv = decodeCsv(bytes);
	if (csv.records.length - 1 > MAX_SESSION_IMPORT_ROWS) throw new DomainError('session.import.tooManyRows', 400, { max: MAX_SESSION_IMPORT_ROWS }, 'file');

	const [attributes, existing] = await Promise.all([sessionAttributes(db, ctx.lab.id), listParticipants(db, ctx.lab.id, eventId)]);
	const { rows, errors, dataRows } = validateParticipantRows(csv, attributes);
	if (!errors.length && !rows.length) errors.push({ line: 2, key: 'session.import.noRows', params: {} });
	errors.sort((a, b) => a.line - b.line);

	const byKey = new Map(existing.map((p) => [participantKey(p), p]));
	const counts: SessionImportCounts = { new: 0, updated: 0, unchanged: 0, total: dataRows };
	const out = rows.map((r) => {
		const { status } = participantStatus(r, byKey);
		counts[status]++;
		return { ...r, status };
	});
	return { errors, rows: out, counts, encoding: csv.encoding };
}

/**
 * Checks the file again and, only when it is clean, writes every row in one transaction.
 * Refused with the first error (its line in the params) otherwise: nothing is written.
 */
export async function importParticipants(
	db: Kysely<Database>,
	ctx: LabContext,
	eventId: string,
	bytes: Buffer | Uint8Array
): Promise<{ added: number; updated: number; unchanged: number }> {
	const preview = await previewParticipants(db, ctx, eventId, bytes);
	const first = preview.errors[0];
	if (first) throw new DomainError(first.key, 400, { ...first.params, line: first.line }, 'file');
	return addParticipants(
		db,
		ctx,
		eventId,
		preview.rows.map((r) => ({
			name: r.name,
			email: r.email,
			organisation: r.organisation,
			actorType: r.actorType,
			scale: r.scale,
			directorate: r.directorate,
			extra: r.extra
		})),
		'import'
	);
}

// ——— Keeping a checked file until it is confirmed ———

interface JobPayload {
	eventId: string;
	/** The file, base64: the import checks it again when confirmed. */
	file: string;
}

/**
 * Checks a file and, when it is clean and would change something, keeps it in an import job
 * (no participant is written). The job's id is what the confirmation sends back.
 */
export async function stageParticipants(
	db: Kysely<Database>,
	ctx: LabContext,
	eventId: string,
	bytes: Buffer | Uint8Array,
	fileName: string
): Promise<SessionImportPreview & { jobId: string | null }> {
	const preview = await previewParticipants(db, ctx, eventId, bytes);
	if (preview.errors.length || preview.counts.new + preview.counts.updated === 0) return { ...preview, jobId: null };
	const payload: JobPayload = { eventId, file: Buffer.from(bytes).toString('base64') };
	const id = await stageImportJob(db, {
		labId: ctx.lab.id,
		kind: JOB_KIND,
		fileName,
		total: preview.rows.length,
		payload: JSON.stringify(payload),
		createdBy: ctx.actor?.accountId ?? null
	});
	return { ...preview, jobId: id };
}

async function checkStaged(db: Kysely<Database>, ctx: LabContext, eventId: string, jobId: string): Promise<void> {
	authorize(ctx.role, 'events.edit');
	const job = await findLabJob(db, { id: jobId, labId: ctx.lab.id, kind: JOB_KIND });
	if (!job) throw new DomainError('session.import.jobNotFound', 404);
	const { eventId: jobEvent } = JSON.parse(job.payload || '{}') as Partial<JobPayload>;
	if (job.state !== 'done' && jobEvent !== eventId) throw new DomainError('session.import.jobNotFound', 404);
}

/** The "Importer" button: queues a kept file for a worker (any server's). */
export async function queueStaged(db: Kysely<Database>, ctx: LabContext, eventId: string, jobId: string): Promise<void> {
	await checkStaged(db, ctx, eventId, jobId);
	if (!(await queueJob(db, { id: jobId, labId: ctx.lab.id, kind: JOB_KIND }))) throw new DomainError('session.import.jobNotReady', 409);
}

/** The retry button of a failed import (the file is checked again when it runs). */
export async function retryStaged(db: Kysely<Database>, ctx: LabContext, eventId: string, jobId: string): Promise<void> {
	await checkStaged(db, ctx, eventId, jobId);
	await retryLabJob(
		db,
		ctx,
		{ id: jobId, kind: JOB_KIND },
		{ notFailed: 'session.import.jobNotFailed', action: 'session.importRetry', summary: { event: eventId } }
	);
}

export type StagedResult = { added: number; updated: number; unchanged: number };

/** Where a queued import of this session stands, for its page (whichever server answers). */
export async function stagedStatus(
	db: Kysely<Database>,
	ctx: LabContext,
	eventId: string,
	jobId: string
): Promise<JobStatus & { result: Partial<StagedResult> & { error?: string; params?: Record<string, string | number> } }> {
	await checkStaged(db, ctx, eventId, jobId);
	const status = await jobStatus(db, { id: jobId, labId: ctx.lab.id, kind: JOB_KIND });
	if (!status) throw new DomainError('session.import.jobNotFound', 404);
	return status;
}

/**
 * The worker's side: checks the kept file again (the session may have changed since) and
 * writes it in one transaction, the job marked done in that same transaction; its copy of
 * the file is then dropped. A file that no longer checks fails the job at once.
 */
export const participantsJob: JobHandler = {
	failedKey: 'session.import.failed',
	async run(job, jc) {
		try {
			const ctx = await jobLabContext(jc.db, job);
			const payload = JSON.parse(job.payload) as JobPayload;
			return await inTransaction(jc.db, async (trx) => {
				const result = await importParticipants(trx, ctx, payload.eventId, Buffer.from(payload.file ?? '', 'base64'));
				await jc.finish(trx, result, { done: result.added + result.updated + result.unchanged, payload: '{}' });
				return result;
			});
		} catch (e) {
			if (e instanceof DomainError) throw new JobError(e.message, { error: e.code, params: e.params }, true, e);
			throw e;
		}
	}
};

/**
 * Imports a kept file here and now (scripts, tests): queued, then run in this process. A job
 * is used once.
 */
export async function confirmStaged(db: Kysely<Database>, ctx: LabContext, eventId: string, jobId: string): Promise<StagedResult> {
	await queueStaged(db, ctx, eventId, jobId);
	const { finished } = await startQueuedJobHere<StagedResult>(db, jobId, 'session.import.jobNotReady');
	return finished;
}
