import path from 'node:path';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { newId } from '../db/util';
import { DomainError } from '../errors';
import { imageBytes, imageHash, imageOwnedBy, listImages, storeImage } from '../files';
import type { MessageKey } from '$lib/i18n';

/**
 * Images of the journal, uploaded in the editor or brought by a WordPress import: PNG, JPEG,
 * GIF or WebP in (recognised by their first bytes; SVG and the rest refused), a WebP at most
 * 1600 px wide out, stored under DATA_DIR/files/<lab>/<sha256> with owner_type 'post_image'
 * and served at /l/<lab>/journal/images/<id>.
 */
export const JOURNAL_IMAGE_MAX_WIDTH = 1600;
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

export interface PreparedImage {
	fileId: string;
	name: string;
	sha256: string;
	bytes: Buffer;
}

function isRasterImage(b: Buffer): boolean {
	if (b.length < 12) return false;
	if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return true;
	if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return true;
	if (b.subarray(0, 4).toString('latin1') === 'GIF8') return true;
	return b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP';
}

/** Converts an image to WebP; a file that is not a readable raster image throws `errorCode`. */
export async function prepareJournalImage(bytes: Buffer, name: string, errorCode: MessageKey = 'journal.import.badImage'): Promise<PreparedImage> {
	if (bytes.length > MAX_IMAGE_BYTES) throw new DomainError('journal.imageTooLarge', 413, { max: MAX_IMAGE_BYTES / 1024 / 1024 }, 'image');
	if (bytes.length === 0 || !isRasterImage(bytes)) throw new DomainError(errorCode, 400, { ref: name }, 'image');
	let webp: Buffer;
	try {
		webp = await sharp(bytes, { limitInputPixels: 60_000_000 })
			.rotate()
			.resize({ width: JOURNAL_IMAGE_MAX_WIDTH, withoutEnlargement: true })
			.webp({ quality: 80 })
			.toBuffer();
	} catch {
		throw new DomainError(errorCode, 400, { ref: name }, 'image');
	}
	const base =
		path
			.basename(name)
			.replace(/\.[a-z0-9]{1,5}$/i, '')
			// eslint-disable-next-line no-control-regex -- control characters never reach a stored name
			.replace(/[\u0000-\u001f"\\/]/g, '_')
			.slice(0, 180) || 'image';
	return { fileId: newId(), name: `${base}.webp`, sha256: createHash('sha256').update(webp).digest('hex'), bytes: webp };
}

export async function storeJournalImage(
	db: Kysely<Database>,
	labId: string,
	name: string,
	bytes: Buffer,
	ownerPostId: string,
	actorId: string | null = null,
	errorCode: MessageKey = 'journal.import.badImage'
): Promise<string> {
	const img = await prepareJournalImage(bytes, name, errorCode);
	return storeImage(db, labId, img, ownerPostId, actorId);
}

/**
 * Whether a journal image is shown by a published post of the lab (as its cover, uploaded for
 * it, or named in its text). Images of drafts only are not public.
 */
export async function isPublicJournalImage(db: Kysely<Database>, labId: string, id: string): Promise<boolean> {
	return Boolean(await postsUsingImage(db, labId, id).where('p.state', '=', 'published').select('p.id').executeTakeFirst());
}

/** The posts of the lab that use an image (cover, owner, or text). */
function postsUsingImage(db: Kysely<Database>, labId: string, id: string) {
	return db
		.selectFrom('post as p')
		.where('p.lab_id', '=', labId)
		.where((eb) =>
			eb.or([
				eb('p.cover_file_id', '=', id),
				eb.exists(imageOwnedBy(id, eb.ref('p.id'))),
				// Ids are UUIDs: no LIKE wildcard can hide in them.
				eb('p.body', 'like', `%/journal/images/${id}%`)
			])
		);
}

/**
 * A journal image's bytes, for whoever may see it: anyone when a published post uses it; those
 * who may edit the journal always; a reviewer holding a post's preview link (its hash and
 * expiry checked by the caller's `previewPostId`) for an image that post uses. `public` tells
 * whether it may be cached publicly.
 */
export async function readJournalImage(
	db: Kysely<Database>,
	labId: string,
	id: string,
	access: { mayEdit?: boolean; previewPostId?: string | null } = {}
): Promise<{ bytes: Buffer; sha256: string; public: boolean } | null> {
	const sha256 = await imageHash(db, labId, id);
	if (!sha256) return null;
	const isPublic = await isPublicJournalImage(db, labId, id);
	if (!isPublic && !access.mayEdit) {
		const viaPreview = access.previewPostId
			? await postsUsingImage(db, labId, id).where('p.id', '=', access.previewPostId).select('p.id').executeTakeFirst()
			: undefined;
		if (!viaPreview) return null;
	}
	const bytes = imageBytes(labId, sha256);
	return bytes && { bytes, sha256, public: isPublic };
}

export async function listJournalImages(db: Kysely<Database>, labId: string, postId: string) {
	return listImages(db, labId, postId);
}
