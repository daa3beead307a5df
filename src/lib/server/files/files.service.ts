import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { newId, nowIso } from '../db/util';
import { DomainError } from '../errors';
import { dataDir } from '../env';
import { recordAudit } from '../audit';
import type { LabContext } from '../labs';
import { authorize } from '../policy';
import { assertEvent } from '../events';
import { canReadRequest } from '../fund';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** What may be attached, recognised by extension and confirmed by the file's first bytes. */
const KINDS: Record<string, { mime: string; magic: 'pdf' | 'png' | 'jpeg' | 'zip' | 'text' }> = {
	pdf: { mime: 'application/pdf', magic: 'pdf' },
	png: { mime: 'image/png', magic: 'png' },
	jpg: { mime: 'image/jpeg', magic: 'jpeg' },
	jpeg: { mime: 'image/jpeg', magic: 'jpeg' },
	docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: 'zip' },
	xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: 'zip' },
	pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', magic: 'zip' },
	odt: { mime: 'application/vnd.oasis.opendocument.text', magic: 'zip' },
	ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', magic: 'zip' },
	odp: { mime: 'application/vnd.oasis.opendocument.presentation', magic: 'zip' },
	txt: { mime: 'text/plain; charset=utf-8', magic: 'text' },
	csv: { mime: 'text/csv; charset=utf-8', magic: 'text' },
	md: { mime: 'text/markdown; charset=utf-8', magic: 'text' }
};
export const ALLOWED_EXTENSIONS = Object.keys(KINDS);

function looksLike(magic: string, b: Buffer): boolean {
	switch (magic) {
		case 'pdf':
			return b.subarray(0, 5).toString('latin1') === '%PDF-';
		case 'png':
			return b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
		case 'jpeg':
			return b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
		case 'zip':
			return b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
		default:
			return !b.includes(0) && Buffer.from(b.toString('utf8'), 'utf8').equals(b);
	}
}

export const fileDir = (labId: string) => path.join(dataDir(), 'files', labId);

export type FileOwner = { type: 'event' | 'funding_request'; id: string };

/** May the caller read (or add to) the record a file belongs to? Decided by its owner's policy. */
async function checkOwner(db: Kysely<Database>, ctx: LabContext, owner: FileOwner, write: boolean): Promise<void> {
	if (owner.type === 'event') {
		authorize(ctx.role, write ? 'events.edit' : 'events.view');
		await assertEvent(db, ctx, owner.id);
	} else {
		authorize(ctx.role, write ? 'fund.request' : 'fund.view');
		if (!(await canReadRequest(db, ctx, owner.id))) throw new DomainError('fund.notFound', 404);
	}
}

/** Attaches a file to an event or a funding request the caller may change. */
export async function attachFile(db: Kysely<Database>, ctx: LabContext, owner: FileOwner, file: { name: string; bytes: Buffer }): Promise<string> {
	await checkOwner(db, ctx, owner, true);
	return storeFile(db, ctx, owner, file);
}

/** A file with its bytes, if the caller may read what it is attached to (otherwise "not found"). */
export async function readAttachment(db: Kysely<Database>, ctx: LabContext, id: string) {
	const f = await readFile(db, ctx, id);
	try {
		await checkOwner(db, ctx, { type: f.owner_type as FileOwner['type'], id: f.owner_id }, false);
	} catch (e) {
		if (e instanceof DomainError && e.status === 403) throw new DomainError('file.notFound', 404);
		throw e;
	}
	return f;
}

// Control characters and path separators never reach a stored name.
// eslint-disable-next-line no-control-regex
const UNSAFE_NAME_CHARS = /[\u0000-\u001f"\\/]/g;

/** Checks type and size, stores the bytes under DATA_DIR/files/<lab>/<sha256>, records the file. */
export async function storeFile(db: Kysely<Database>, ctx: LabContext, owner: FileOwner, file: { name: string; bytes: Buffer }): Promise<string> {
	if (file.bytes.length === 0) throw new DomainError('file.empty', 400, {}, 'file');
	if (file.bytes.length > MAX_FILE_BYTES) throw new DomainError('file.tooLarge', 413, { max: 10 }, 'file');
	const ext = path.extname(file.name).slice(1).toLowerCase();
	const kind = KINDS[ext];
	if (!kind || !looksLike(kind.magic, file.bytes)) throw new DomainError('file.badType', 415, { allowed: ALLOWED_EXTENSIONS.join(', ') }, 'file');
	const sha256 = createHash('sha256').update(file.bytes).digest('hex');
	fs.mkdirSync(fileDir(ctx.lab.id), { recursive: true });
	const target = path.join(fileDir(ctx.lab.id), sha256);
	if (!fs.existsSync(target)) fs.writeFileSync(target, file.bytes);
	const id = newId();
	const name = path.basename(file.name).replace(UNSAFE_NAME_CHARS, '_').slice(0, 200);
	await db
		.insertInto('file')
		.values({
			id,
			lab_id: ctx.lab.id,
			owner_type: owner.type,
			owner_id: owner.id,
			name,
			mime: kind.mime,
			size: file.bytes.length,
			sha256,
			created_by: ctx.actor?.accountId ?? null,
			created_at: nowIso()
		})
		.execute();
	await recordAudit(db, {
		labId: ctx.lab.id,
		actorId: ctx.actor?.accountId ?? null,
		action: 'file.upload',
		subjectType: owner.type,
		subjectId: owner.id,
		summary: { name, size: file.bytes.length }
	});
	return id;
}

/** A stored file of this lab, with its bytes; the caller checks the owner's policy first. */
export async function readFile(db: Kysely<Database>, ctx: LabContext, id: string) {
	const f = await db.selectFrom('file').where('id', '=', id).where('lab_id', '=', ctx.lab.id).selectAll().executeTakeFirst();
	if (!f) throw new DomainError('file.notFound', 404);
	return { ...f, bytes: fs.readFileSync(path.join(fileDir(ctx.lab.id), f.sha256)) };
}
