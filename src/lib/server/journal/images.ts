import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { newId, nowIso } from '../db/util';
import { DomainError } from '../errors';
import { fileDir } from '../files/files.service';

/** Images of the journal: any common format in, a web-sized WebP out (1600 px wide at most). */
export const MAX_IMAGE_BYTES = 15 * 1024 * 1024;
export const MAX_IMAGE_WIDTH = 1600;

export async function storeJournalImage(
	db: Kysely<Database>,
	labId: string,
	file: { name: string; bytes: Buffer },
	owner: { postId: string | null; actorId: string | null }
): Promise<string> {
	if (!file.bytes.length) throw new DomainError('file.empty', 400, {}, 'image');
	if (file.bytes.length > MAX_IMAGE_BYTES) throw new DomainError('journal.imageTooLarge', 413, { max: 15 }, 'image');
	let webp: Buffer;
	try {
		const meta = await sharp(file.bytes, { limitInputPixels: 80_000_000 }).metadata();
		if (!meta.format || !['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff'].includes(meta.format)) throw new Error('format');
		webp = await sharp(file.bytes, { limitInputPixels: 80_000_000 })
			.rotate()
			.resize({ width: MAX_IMAGE_WIDTH, withoutEnlargement: true })
			.webp({ quality: 80 })
			.toBuffer();
	} catch {
		throw new DomainError('journal.imageUnreadable', 415, {}, 'image');
	}
	const sha256 = createHash('sha256').update(webp).digest('hex');
	fs.mkdirSync(fileDir(labId), { recursive: true });
	const target = path.join(fileDir(labId), sha256);
	if (!fs.existsSync(target)) fs.writeFileSync(target, webp);
	const id = newId();
	const name = path.basename(file.name).replace(/\.[^.]+$/, '').replace(/[\u0000-\u001f"\\/]/g, '_').slice(0, 190) + '.webp';
	await db
		.insertInto('file')
		.values({ id, lab_id: labId, owner_type: 'post_image', owner_id: owner.postId ?? '', name, mime: 'image/webp', size: webp.length, sha256, created_by: owner.actorId, created_at: nowIso() })
		.execute();
	return id;
}

/** A journal image's bytes; any stored journal image of the lab is public once linked from a post. */
export async function readJournalImage(db: Kysely<Database>, labId: string, id: string): Promise<{ bytes: Buffer; sha256: string } | null> {
	const f = await db.selectFrom('file').where('id', '=', id).where('lab_id', '=', labId).where('owner_type', '=', 'post_image').select(['sha256']).executeTakeFirst();
	if (!f) return null;
	const p = path.join(fileDir(labId), f.sha256);
	if (!fs.existsSync(p)) return null;
	return { bytes: fs.readFileSync(p), sha256: f.sha256 };
}

export async function listJournalImages(db: Kysely<Database>, labId: string, postId: string) {
	return db.selectFrom('file').where('lab_id', '=', labId).where('owner_type', '=', 'post_image').where('owner_id', '=', postId).select(['id', 'name', 'size', 'created_at']).orderBy('created_at', 'desc').execute();
}
