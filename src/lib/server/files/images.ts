/**
 * The journal's images as stored files: content-addressed bytes under DATA_DIR/files/<lab>/<sha256>
 * and a `file` row with owner_type 'post_image' naming the post it was uploaded for. The journal
 * converts and checks the image (../journal/images.ts); this stores, finds and reads it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expressionBuilder, type Expression, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { nowIso } from '../db/util';
import { fileDir } from './files.service';

const OWNER_TYPE = 'post_image';

export interface ImageToStore {
	fileId: string;
	name: string;
	sha256: string;
	bytes: Buffer;
}

/** Writes the bytes (content-addressed); returns the path when the file did not exist before. */
export function writeImageBytes(labId: string, img: ImageToStore): string | null {
	fs.mkdirSync(fileDir(labId), { recursive: true });
	const target = path.join(fileDir(labId), img.sha256);
	if (fs.existsSync(target)) return null;
	fs.writeFileSync(target, img.bytes);
	return target;
}

/** Records an image (a WebP) of a post; takes the caller's transaction. */
export async function insertImageRow(trx: Kysely<Database>, labId: string, img: ImageToStore, ownerPostId: string, actorId: string | null): Promise<void> {
	await trx
		.insertInto('file')
		.values({
			id: img.fileId,
			lab_id: labId,
			owner_type: OWNER_TYPE,
			owner_id: ownerPostId,
			name: img.name,
			mime: 'image/webp',
			size: img.bytes.length,
			sha256: img.sha256,
			created_by: actorId,
			created_at: nowIso()
		})
		.execute();
}

/** Stores an image of a post: its bytes, then its row (in the caller's transaction); returns its id. */
export async function storeImage(trx: Kysely<Database>, labId: string, img: ImageToStore, ownerPostId: string, actorId: string | null): Promise<string> {
	writeImageBytes(labId, img);
	await insertImageRow(trx, labId, img, ownerPostId, actorId);
	return img.fileId;
}

/** The hash of an image of this lab (its bytes' name), or null when there is no such image. */
export async function imageHash(db: Kysely<Database>, labId: string, id: string): Promise<string | null> {
	const f = await db
		.selectFrom('file')
		.where('id', '=', id)
		.where('lab_id', '=', labId)
		.where('owner_type', '=', OWNER_TYPE)
		.select(['sha256'])
		.executeTakeFirst();
	return f?.sha256 ?? null;
}

/** An image's stored bytes by hash, or null when they are missing. */
export function imageBytes(labId: string, sha256: string): Buffer | null {
	const p = path.join(fileDir(labId), sha256);
	return fs.existsSync(p) ? fs.readFileSync(p) : null;
}

/** The images uploaded for a post, newest first. */
export async function listImages(db: Kysely<Database>, labId: string, ownerPostId: string) {
	return db
		.selectFrom('file')
		.where('lab_id', '=', labId)
		.where('owner_type', '=', OWNER_TYPE)
		.where('owner_id', '=', ownerPostId)
		.select(['id', 'name', 'size', 'created_at'])
		.orderBy('created_at', 'desc')
		.execute();
}

/** Whether the image was uploaded for the post (a reference to its id): an `exists` subquery. */
export function imageOwnedBy(id: string, postId: Expression<string>) {
	return expressionBuilder<Database>()
		.selectFrom('file as img_f')
		.where('img_f.id', '=', id)
		.where('img_f.owner_type', '=', OWNER_TYPE)
		.where('img_f.owner_id', '=', postId)
		.select('img_f.id');
}
