// A separate thread with its own database connection: another server claiming jobs or mails.
import { parentPort, workerData } from 'node:worker_threads';
import { createDb } from '../../src/lib/server/db';
import { claimJob } from '../../src/lib/server/jobs';
import { claimOutbox } from '../../src/lib/server/mail/transport';

const { url, workerId, kind, what } = workerData as { url: string; workerId: string; kind: string; what: 'jobs' | 'mails' };
const db = createDb({ url });
// Ready (modules loaded, connection open), then all threads start together on "go".
await db.selectFrom('lab').select('id').limit(1).execute();
await new Promise<void>((resolve) => {
	parentPort!.once('message', () => resolve());
	parentPort!.postMessage('ready');
});
const claimed: string[] = [];
for (;;) {
	if (what === 'jobs') {
		const job = await claimJob(db, workerId, [kind], { leaseMs: 60_000 });
		if (!job) break;
		claimed.push(job.id);
	} else {
		const mails = await claimOutbox(db, workerId, 2, 60_000);
		if (!mails.length) break;
		claimed.push(...mails.map((m) => m.id));
	}
}
await db.destroy();
parentPort!.postMessage(claimed);
