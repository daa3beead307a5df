/**
 * Functions a domain offers other domains so they stop writing its tables themselves: each does
 * exactly its owner's part (and nothing of a neighbour's), on both databases.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, uid } from '../factories';
import { deleteKeysWithPrefix, hasKey, putKey } from '../../src/lib/server/ratelimit';
import { storedSecretHex, storeSecretOnce } from '../../src/lib/server/installation';
import { findLabJob, stageImportJob } from '../../src/lib/server/jobs';
import { countLinksTo, removeLinksFrom } from '../../src/lib/server/links';
import { indexDocument, setStatus } from '../../src/lib/server/search';
import { newId } from '../../src/lib/server/db/util';

const later = (ms: number) => new Date(Date.now() + ms).toISOString();

describeEachDialect('owners’ functions for other domains', (getDb) => {
	it('ratelimit keeps keyed marks until they expire and forgets them by prefix', async () => {
		const db = getDb();
		const p = `mark:${uid()}:`;
		await putKey(db, `${p}a`, later(60_000));
		await putKey(db, `${p}b`, later(-1000));
		await putKey(db, `other:${p}`, later(60_000));
		expect(await hasKey(db, `${p}a`)).toBe(true);
		expect(await hasKey(db, `${p}b`)).toBe(false);
		// Putting it again renews it.
		await putKey(db, `${p}b`, later(60_000));
		expect(await hasKey(db, `${p}b`)).toBe(true);
		await deleteKeysWithPrefix(db, p);
		expect(await hasKey(db, `${p}a`)).toBe(false);
		expect(await hasKey(db, `${p}b`)).toBe(false);
		expect(await hasKey(db, `other:${p}`)).toBe(true);
	});

	it('installation stores its secret once: the first value wins', async () => {
		const db = getDb();
		const first = await storeSecretOnce(db, 'ab'.repeat(32));
		expect(await storeSecretOnce(db, 'cd'.repeat(32))).toBe(first);
		expect(await storedSecretHex(db)).toBe(first);
	});

	it('jobs finds a staged job only in its lab and of its kind', async () => {
		const db = getDb();
		const [lab, other] = [await makeLab(db), await makeLab(db)];
		const id = await stageImportJob(db, { labId: lab.id, kind: 'test-kind', fileName: 'f.csv', total: 1, payload: '{"x":1}', createdBy: null });
		expect(await findLabJob(db, { id, labId: lab.id, kind: 'test-kind' })).toEqual({ id, state: 'ready', payload: '{"x":1}' });
		expect(await findLabJob(db, { id, labId: other.id, kind: 'test-kind' })).toBeNull();
		expect(await findLabJob(db, { id, labId: lab.id, kind: 'other-kind' })).toBeNull();
	});

	it('links removes only the links a record makes', async () => {
		const db = getDb();
		const lab = await makeLab(db);
		const [a, b, c] = [newId(), newId(), newId()];
		await db
			.insertInto('link')
			.values([
				{ lab_id: lab.id, from_type: 'event', from_id: a, to_type: 'knowledge', to_id: c },
				{ lab_id: lab.id, from_type: 'event', from_id: b, to_type: 'knowledge', to_id: c },
				{ lab_id: lab.id, from_type: 'knowledge', from_id: c, to_type: 'event', to_id: a }
			])
			.execute();
		expect(await countLinksTo(db, lab.id, { type: 'knowledge', id: c })).toBe(2);
		await removeLinksFrom(db, { type: 'event', id: a });
		expect(await countLinksTo(db, lab.id, { type: 'knowledge', id: c })).toBe(1);
		expect(await countLinksTo(db, lab.id, { type: 'event', id: a })).toBe(1);
	});

	it('search sets the status of one document only', async () => {
		const db = getDb();
		const lab = await makeLab(db);
		const [a, b] = [newId(), newId()];
		for (const id of [a, b]) await indexDocument(db, { type: 'event', id, labId: lab.id, title: `Atelier ${id}`, body: '', visibility: 'lab', date: '2030-01-01T09:00:00.000Z' });
		await setStatus(db, 'event', a, 'cancelled');
		const rows = await db.selectFrom('search_document').where('doc_id', 'in', [a, b]).select(['doc_id', 'status']).execute();
		expect(Object.fromEntries(rows.map((r) => [r.doc_id, r.status]))).toEqual({ [a]: 'cancelled', [b]: '' });
	});
});
