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
});
