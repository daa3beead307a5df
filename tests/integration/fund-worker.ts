// A separate thread with its own database connection, approving the requests it is given.
import { parentPort, workerData } from 'node:worker_threads';
import { createDb } from '../../src/lib/server/db';
import { decideRequest } from '../../src/lib/server/fund/fund.service';
import type { LabContext } from '../../src/lib/server/labs/labs.service';

const { url, ctx, requestIds } = workerData as { url: string; ctx: LabContext; requestIds: string[] };
const db = createDb({ url });
const results: { ok: boolean; code?: string }[] = [];
for (const id of requestIds) {
	try {
		await decideRequest(db, ctx, id, { approve: true, reason: 'ok' });
		results.push({ ok: true });
	} catch (e) {
		results.push({ ok: false, code: (e as { code?: string }).code ?? String(e) });
	}
}
await db.destroy();
parentPort!.postMessage(results);
