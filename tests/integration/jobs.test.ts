import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { describeEachDialect } from '../setup/db';
import { freePort } from '../setup/pg';
import { makeLab, makeMember } from '../factories';
import { createDb, type Db } from '../../src/lib/server/db';
import { newId, nowIso } from '../../src/lib/server/db/util';
import type { LabSummary } from '../../src/lib/server/labs/labs.service';
import {
	JobError,
	LeaseLostError,
	claimJob,
	claimTick,
	defaultHandlers,
	retryJob,
	runNextJob,
	saveProgress,
	workersEnabled,
	type Handlers,
	type JobContext,
	type JobRow
} from '../../src/lib/server/jobs';
import { invitationJob, jobProgress, previewImport, queueImport, retryImport, runImport } from '../../src/lib/server/network/import.service';
import { enqueueMail, resendMessage } from '../../src/lib/server/mail/outbox';
import { claimOutbox, createTransport, drainOutbox } from '../../src/lib/server/mail/transport';

const ORIGIN = 'https://labo.example';
const HEADER = 'nom;email;direction;service;territoire;competences;langues;jours_par_mois';
const csv = (lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
/** Waits past a lease given in milliseconds (the only waiting these tests do). */
const pastLease = (ms: number) => new Promise((r) => setTimeout(r, ms + 15));

async function addJob(db: Db, labId: string, kind: string, o: { maxAttempts?: number; payload?: string; total?: number } = {}): Promise<string> {
	const id = newId();
	const now = nowIso();
	await db
		.insertInto('import_job')
		.values({
			id,
			lab_id: labId,
			kind,
			state: 'queued',
			file_name: 'test',
			total: o.total ?? 0,
			done: 0,
			payload: o.payload ?? '',
			result: '{}',
			created_by: null,
			created_at: now,
			updated_at: now,
			max_attempts: o.maxAttempts ?? 3
		})
		.execute();
	return id;
}

/**
 * Another server on the same database. On PostgreSQL, a pool of its own. On SQLite, the same
 * connection: better-sqlite3 is synchronous, so a second connection in this process would wait
 * for the first one's lock while holding the only thread. Each claim then still has to hold the
 * connection from its read to its write, or two claimers' statements would interleave.
 */
const otherServer = (db: Db, dialect: string): Db => (dialect === 'postgres' ? createDb({ url: (db as unknown as { __url: string }).__url }) : db);

/** Claims in separate threads, each with its own connection (real concurrency on SQLite too). */
async function claimInThreads(url: string, n: number, data: { kind: string; what: 'jobs' | 'mails' }): Promise<string[][]> {
	const workers = Array.from(
		{ length: n },
		(_, i) => new Worker(path.resolve(__dirname, 'jobs-worker.mjs'), { workerData: { url, workerId: `thread-${i}`, ...data } })
	);
	// Each thread says it is ready, then they all start claiming at the same moment.
	await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => (w.once('message', () => resolve()), w.once('error', reject)))));
	const results = workers.map((w) => new Promise<string[]>((resolve, reject) => (w.once('message', resolve), w.once('error', reject))));
	for (const w of workers) w.postMessage('go');
	return Promise.all(results);
}

const jobRow = (db: Db, id: string) => db.selectFrom('import_job').where('id', '=', id).selectAll().executeTakeFirstOrThrow();

describeEachDialect('durable jobs across servers', (getDb, dialect) => {
	/** A second connection (pool) to the same database: another server. */
	let other: Db;
	let lab: LabSummary;
	beforeAll(async () => {
		other = otherServer(getDb(), dialect);
		lab = await makeLab(getDb());
	});
	afterAll(async () => {
		if (other !== getDb()) await other.destroy();
	});

	it('never gives one job to two claimers', async () => {
		const ids = new Set<string>();
		for (let i = 0; i < 6; i++) ids.add(await addJob(getDb(), lab.id, 'test.claim'));
		const claimers = Array.from({ length: 12 }, (_, i) => claimJob(i % 2 ? other : getDb(), `worker-${i}`, ['test.claim'], { leaseMs: 60_000 }));
		const claimed = (await Promise.all(claimers)).filter((j): j is JobRow => j !== null);
		expect(claimed).toHaveLength(6);
		expect(new Set(claimed.map((j) => j.id))).toEqual(ids);
		for (const j of claimed) expect(j).toMatchObject({ state: 'running', attempts: 1 });
		// Each row names the one worker that got it.
		for (const j of claimed) expect((await jobRow(getDb(), j.id)).claimed_by).toBe(j.claimed_by);
	});

	it('never gives one job to two connections claiming at once, each in its own thread', { timeout: 60_000 }, async () => {
		const ids = new Set<string>();
		for (let i = 0; i < 30; i++) ids.add(await addJob(getDb(), lab.id, 'test.threads'));
		const parts = await claimInThreads((getDb() as unknown as { __url: string }).__url, 4, { kind: 'test.threads', what: 'jobs' });
		const all = parts.flat();
		expect(all).toHaveLength(30);
		expect(new Set(all)).toEqual(ids);
	});

	it('runs each of many jobs exactly once with several workers draining together', async () => {
		const runs: { id: string; worker: string }[] = [];
		const handlers: Handlers = {
			'test.count': {
				failedKey: 'jobs.failed',
				run: async (job, jc) => {
					runs.push({ id: job.id, worker: jc.workerId });
					await jc.db.selectFrom('import_job').where('id', '=', job.id).select('id').execute();
					await jc.finish(jc.db, { by: jc.workerId });
				}
			}
		};
		const ids: string[] = [];
		for (let i = 0; i < 40; i++) ids.push(await addJob(getDb(), lab.id, 'test.count'));
		const drain = async (db: Db, worker: string) => {
			while (await runNextJob(db, handlers, worker, { leaseMs: 60_000 })) {
				/* next */
			}
		};
		await Promise.all([drain(getDb(), 'A'), drain(other, 'B'), drain(getDb(), 'C'), drain(other, 'D')]);
		expect(runs).toHaveLength(40);
		expect(new Set(runs.map((r) => r.id)).size).toBe(40);
		const rows = await getDb().selectFrom('import_job').where('id', 'in', ids).select(['state', 'result', 'claimed_by']).execute();
		expect(rows.every((r) => r.state === 'done' && r.claimed_by === null)).toBe(true);
		// The result is the runner's: no second worker overwrote it.
		for (const r of runs) expect(JSON.parse((await jobRow(getDb(), r.id)).result)).toEqual({ by: r.worker });
	});

	it('takes over a job whose lease lapsed and resumes after its committed steps', async () => {
		const done: number[] = [];
		const handlers: Handlers = {
			'test.steps': {
				failedKey: 'jobs.failed',
				run: async (job, jc) => {
					for (let i = job.done; i < job.total; i++) {
						await jc.db.transaction().execute(async (trx) => {
							done.push(i);
							await jc.step(trx, { done: i + 1, result: { last: i } });
						});
					}
					await jc.finish(jc.db, { finished: true });
				}
			}
		};
		const id = await addJob(getDb(), lab.id, 'test.steps', { total: 6 });
		// Server A claims it, commits three steps, then stops without a word.
		const a = await claimJob(getDb(), 'A', ['test.steps'], { leaseMs: 60 });
		expect(a?.id).toBe(id);
		await saveProgress(getDb(), id, 'A', { done: 3, result: { last: 2 } });
		// While A's lease holds, nobody else gets the job.
		expect(await runNextJob(other, handlers, 'B', { leaseMs: 60_000, jobId: id })).toBeNull();
		await pastLease(60);
		const b = await runNextJob(other, handlers, 'B', { leaseMs: 60_000, jobId: id });
		expect(b?.outcome).toBe('done');
		expect(done).toEqual([3, 4, 5]);
		expect(await jobRow(getDb(), id)).toMatchObject({ state: 'done', done: 6, attempts: 2, claimed_by: null });
		// A, back from the dead, cannot commit anything for it.
		await expect(saveProgress(getDb(), id, 'A', { done: 4 })).rejects.toBeInstanceOf(LeaseLostError);
	});

	it('resumes a network import from its last committed chunk: every invitation written and mailed once', { timeout: 60_000 }, async () => {
		const l = await makeLab(getDb());
		const coord = (await makeMember(getDb(), l, 'coordinator')).ctx;
		const lines = [HEADER];
		for (let i = 0; i < 1200; i++) lines.push(`Agent ${i};agent.${i}@region.example;;;13;;;1`);
		const p = await previewImport(getDb(), coord, csv(lines), 'big.csv');
		await queueImport(getDb(), coord, p.jobId!, ORIGIN);
		// Server A writes the first chunk (500 rows), then dies while writing the second.
		const job = await claimJob(getDb(), 'A', ['network.invitations'], { leaseMs: 80, jobId: p.jobId! });
		let steps = 0;
		const crash = new Error('server stopped');
		const ctxA: JobContext = {
			db: getDb(),
			workerId: 'A',
			leaseMs: 80,
			signal: new AbortController().signal,
			step: async (trx, s) => {
				if (++steps === 2) throw crash; // rolls the second chunk back, as a dying process would
				await saveProgress(trx, job!.id, 'A', s);
			},
			report: () => undefined,
			finish: async () => {
				throw new Error('A never gets this far');
			}
		};
		await expect(invitationJob.run(job!, ctxA)).rejects.toBe(crash);
		expect(await jobProgress(getDb(), coord, p.jobId!)).toMatchObject({ state: 'running', done: 500, result: { new: 500 } });
		await pastLease(80);
		const b = await runNextJob(other, defaultHandlers(), 'B', { leaseMs: 60_000, jobId: p.jobId! });
		expect(b?.outcome).toBe('done');
		expect(await jobProgress(getDb(), coord, p.jobId!)).toMatchObject({
			state: 'done',
			done: 1200,
			attempts: 2,
			result: { new: 1200, updated: 0, unchanged: 0, total: 1200 }
		});
		const count = async (table: 'network_invitation' | 'outbox_message') =>
			Number(
				(
					await getDb()
						.selectFrom(table)
						.where('lab_id', '=', l.id)
						.select((eb) => eb.fn.countAll().as('n'))
						.executeTakeFirstOrThrow()
				).n
			);
		expect(await count('network_invitation')).toBe(1200);
		expect(await count('outbox_message')).toBe(1200);
	});

	it('fails a job after its attempts with its error, and a retry queues it again', async () => {
		let fail = true;
		const handlers: Handlers = {
			'test.fail': {
				failedKey: 'jobs.failed',
				run: async (_job, jc) => {
					if (fail) throw new Error('boom');
					await jc.finish(jc.db, { ok: true });
				}
			}
		};
		const id = await addJob(getDb(), lab.id, 'test.fail', { maxAttempts: 2 });
		const opts = { leaseMs: 60_000, backoffMs: 0, jobId: id };
		expect((await runNextJob(getDb(), handlers, 'A', opts))?.outcome).toBe('queued');
		expect(await jobRow(getDb(), id)).toMatchObject({ state: 'queued', attempts: 1, error: 'boom', claimed_by: null });
		expect((await runNextJob(other, handlers, 'B', opts))?.outcome).toBe('failed');
		const failed = await jobRow(getDb(), id);
		expect(failed).toMatchObject({ state: 'failed', attempts: 2, error: 'boom' });
		expect(JSON.parse(failed.result)).toEqual({ error: 'jobs.failed' });
		// A failed job is not claimed again…
		expect(await runNextJob(getDb(), handlers, 'A', opts)).toBeNull();
		// …until the retry button queues it, attempts starting over.
		expect(await retryJob(getDb(), { id, labId: lab.id, kind: 'test.fail' })).toBe(true);
		expect(await jobRow(getDb(), id)).toMatchObject({ state: 'queued', attempts: 0, error: null, result: '{}' });
		expect(await retryJob(getDb(), { id, labId: lab.id, kind: 'test.fail' })).toBe(false);
		fail = false;
		expect((await runNextJob(getDb(), handlers, 'A', opts))?.outcome).toBe('done');
	});

	it('fails at once on a permanent error, and when a lease lapses on the last attempt', async () => {
		let ran = 0;
		const handlers: Handlers = {
			'test.perm': {
				failedKey: 'jobs.failed',
				run: async () => {
					ran++;
					throw new JobError('bad file', { error: 'network.import.noRows' }, true);
				}
			}
		};
		const perm = await addJob(getDb(), lab.id, 'test.perm', { maxAttempts: 5 });
		expect((await runNextJob(getDb(), handlers, 'A', { jobId: perm, backoffMs: 0 }))?.outcome).toBe('failed');
		expect(JSON.parse((await jobRow(getDb(), perm)).result)).toEqual({ error: 'network.import.noRows' });

		const lapsed = await addJob(getDb(), lab.id, 'test.perm', { maxAttempts: 1 });
		await claimJob(getDb(), 'A', ['test.perm'], { leaseMs: 40, jobId: lapsed });
		await pastLease(40);
		ran = 0;
		expect((await runNextJob(other, handlers, 'B', { jobId: lapsed }))?.outcome).toBe('failed');
		expect(ran).toBe(0);
		expect(await jobRow(getDb(), lapsed)).toMatchObject({ state: 'failed', error: 'lease expired after 1 attempts' });
	});

	it('retries a failed network import from its page', async () => {
		const l = await makeLab(getDb());
		const coord = (await makeMember(getDb(), l, 'coordinator')).ctx;
		const p = await previewImport(getDb(), coord, csv([HEADER, 'Yves Casse;yves.casse@region.example;;;13;;;1']), 'casse.csv');
		const rows = JSON.parse((await jobRow(getDb(), p.jobId!)).payload);
		rows[0].name = null;
		await getDb()
			.updateTable('import_job')
			.set({ payload: JSON.stringify(rows) })
			.where('id', '=', p.jobId!)
			.execute();
		await expect(runImport(getDb(), coord, p.jobId!, ORIGIN)).rejects.toThrow();
		expect(await jobProgress(getDb(), coord, p.jobId!)).toMatchObject({ state: 'failed', result: { error: 'network.import.failed' } });
		await retryImport(getDb(), coord, p.jobId!);
		expect(await jobProgress(getDb(), coord, p.jobId!)).toMatchObject({ state: 'queued', attempts: 0, result: {} });
		expect((await jobProgress(getDb(), coord, p.jobId!)).result.error).toBeUndefined();
		await expect(retryImport(getDb(), coord, p.jobId!)).rejects.toMatchObject({ code: 'network.import.jobNotFailed' });
		const audit = await getDb().selectFrom('audit_entry').where('lab_id', '=', l.id).where('action', '=', 'network.importRetry').select('subject_id').execute();
		expect(audit).toEqual([{ subject_id: p.jobId! }]);
	});

	it('runs a periodic task once per period across servers', async () => {
		const now = Date.now();
		const won = await Promise.all([
			claimTick(getDb(), 'test.tick', 60_000, 'A', now),
			claimTick(other, 'test.tick', 60_000, 'B', now),
			claimTick(getDb(), 'test.tick', 60_000, 'C', now)
		]);
		expect(won.filter(Boolean)).toHaveLength(1);
		// Later in the same period: nobody; the next period: one again.
		expect(await claimTick(other, 'test.tick', 60_000, 'B', now + 30_000)).toBe(false);
		expect(await claimTick(other, 'test.tick', 60_000, 'B', now + 60_000)).toBe(true);
		expect(await claimTick(getDb(), 'test.tick', 60_000, 'A', now + 60_000)).toBe(false);
	});

	it('reads LABO_WORKERS: 0 makes a web-only server', () => {
		expect(workersEnabled({ LABO_WORKERS: '0' })).toBe(false);
		expect(workersEnabled({})).toBe(true);
		expect(workersEnabled({ LABO_WORKERS: '1' })).toBe(true);
	});
});

describeEachDialect('mail outbox across servers', (getDb, dialect) => {
	const received: { to: string; subject: string; messageId: string }[] = [];
	let server: SMTPServer;
	let port: number;
	let other: Db;
	const FROM = 'Labo <labo@example.test>';

	beforeAll(async () => {
		other = otherServer(getDb(), dialect);
		port = await freePort();
		server = new SMTPServer({
			authOptional: true,
			disabledCommands: ['STARTTLS', 'AUTH'],
			onData(stream, _session, cb) {
				simpleParser(stream)
					.then((m) => {
						received.push({ to: (Array.isArray(m.to) ? m.to[0] : m.to)?.text ?? '', subject: m.subject ?? '', messageId: m.messageId ?? '' });
						cb();
					})
					.catch(cb);
			}
		});
		await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	});
	afterAll(async () => {
		if (other !== getDb()) await other.destroy();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	});

	it('sends each mail once when two servers drain together, with the Message-ID fixed when queued', { timeout: 60_000 }, async () => {
		const lab = await makeLab(getDb());
		const ids: string[] = [];
		for (let i = 0; i < 15; i++) ids.push(await enqueueMail(getDb(), { labId: lab.id, to: `p${i}@example.test`, subject: `parallel ${i}`, text: 'x' }));
		const drainAll = async (db: Db, workerId: string) => {
			const transport = createTransport(`smtp://127.0.0.1:${port}`);
			let sent = 0;
			for (;;) {
				const r = await drainOutbox(db, transport, FROM, 2, { workerId });
				sent += r.sent;
				if (!r.sent && !r.failed) break;
			}
			transport.close();
			return sent;
		};
		const [a, b] = await Promise.all([drainAll(getDb(), 'A'), drainAll(other, 'B')]);
		expect(a + b).toBe(15);
		const mine = received.filter((r) => r.subject.startsWith('parallel '));
		expect(mine).toHaveLength(15);
		expect(new Set(mine.map((r) => r.subject)).size).toBe(15);
		const rows = await getDb().selectFrom('outbox_message').where('id', 'in', ids).select(['id', 'state', 'message_id', 'attempts', 'subject']).execute();
		for (const row of rows) {
			expect(row).toMatchObject({ state: 'sent', attempts: 1 });
			expect(row.message_id).toMatch(new RegExp(`^<${row.id}@[^>@]+>$`));
			expect(mine.find((r) => r.subject === row.subject)!.messageId).toBe(row.message_id);
		}
	});

	it('never gives one mail to two connections claiming at once, each in its own thread', { timeout: 60_000 }, async () => {
		const lab = await makeLab(getDb());
		const ids = new Set<string>();
		for (let i = 0; i < 20; i++) ids.add(await enqueueMail(getDb(), { labId: lab.id, to: `t${i}@example.test`, subject: `thread ${i}`, text: 'x' }));
		const parts = await claimInThreads((getDb() as unknown as { __url: string }).__url, 4, { kind: '', what: 'mails' });
		const all = parts.flat().filter((id) => ids.has(id));
		expect(all).toHaveLength(20);
		expect(new Set(all)).toEqual(ids);
		// Claimed by these threads, which stopped: nobody sends them until their claims lapse.
		await getDb()
			.updateTable('outbox_message')
			.set({ state: 'sent' })
			.where('id', 'in', [...ids])
			.execute();
	});

	it('sends again, with the same Message-ID, a mail whose server stopped before marking it sent', async () => {
		const lab = await makeLab(getDb());
		const id = await enqueueMail(getDb(), { labId: lab.id, to: 'crash@example.test', subject: 'crash', text: 'x' });
		// Server A claims it; while its claim holds, B leaves the message alone.
		const [m] = await claimOutbox(getDb(), 'A', 10, 300);
		const claimedAt = Date.now();
		expect(m?.id).toBe(id);
		const transport = createTransport(`smtp://127.0.0.1:${port}`);
		expect(await drainOutbox(other, transport, FROM, 10, { workerId: 'B' })).toEqual({ sent: 0, failed: 0 });
		// The SMTP server accepts A's copy; A stops before writing "sent".
		await transport.sendMail({ from: FROM, to: m!.to_address, subject: m!.subject, text: m!.text_body, messageId: m!.message_id! });
		// Once A's claim lapsed, B sends it.
		await pastLease(Math.max(0, 300 - (Date.now() - claimedAt)));
		expect(await drainOutbox(other, transport, FROM, 10, { workerId: 'B' })).toEqual({ sent: 1, failed: 0 });
		transport.close();
		const copies = received.filter((r) => r.subject === 'crash');
		expect(copies).toHaveLength(2);
		expect(new Set(copies.map((c) => c.messageId))).toEqual(new Set([m!.message_id]));
		expect(await getDb().selectFrom('outbox_message').where('id', '=', id).select(['state', 'attempts']).executeTakeFirstOrThrow()).toEqual({
			state: 'sent',
			attempts: 2
		});
	});

	it('never sends a mail another server claimed while its own batch outlasted its lease', async () => {
		const lab = await makeLab(getDb());
		for (const n of [1, 2, 3]) await enqueueMail(getDb(), { labId: lab.id, to: `slow${n}@example.test`, subject: `slow ${n}`, text: 'x' });
		const real = createTransport(`smtp://127.0.0.1:${port}`);
		let takenOver: string[] = [];
		let inFlight = '';
		// A's SMTP server stalls on its first message past A's lease; B claims the lapsed batch meanwhile.
		const stalling = {
			sendMail: async (m: Parameters<typeof real.sendMail>[0]) => {
				if (!takenOver.length) {
					inFlight = String(m.subject);
					await pastLease(30);
					takenOver = (await claimOutbox(other, 'B', 10, 60_000)).map((r) => r.subject).filter((x) => x.startsWith('slow '));
				}
				return real.sendMail(m);
			}
		} as unknown as ReturnType<typeof createTransport>;
		await drainOutbox(getDb(), stalling, FROM, 10, { workerId: 'A', leaseMs: 30 });
		real.close();
		expect(takenOver.sort()).toEqual(['slow 1', 'slow 2', 'slow 3']);
		// Only the message in flight when B took over went out from A (the one duplicate allowed),
		// whichever of the three (queued in the same millisecond) the batch held first.
		expect(takenOver).toContain(inFlight);
		expect(received.filter((r) => r.subject.startsWith('slow ')).map((r) => r.subject)).toEqual([inFlight]);
		const rows = await getDb().selectFrom('outbox_message').where('lab_id', '=', lab.id).select(['state', 'claimed_by']).execute();
		expect(rows.every((r) => r.state === 'sending' && r.claimed_by === 'B')).toBe(true);
	});

	it('resends a failed message from the outbox page, for its lab coordinators only', async () => {
		const lab = await makeLab(getDb());
		const coord = (await makeMember(getDb(), lab, 'coordinator')).ctx;
		const resident = (await makeMember(getDb(), lab, 'resident')).ctx;
		const elsewhere = (await makeMember(getDb(), await makeLab(getDb()), 'coordinator')).ctx;
		const id = await enqueueMail(getDb(), { labId: lab.id, to: 'failed@example.test', subject: 'failed', text: 'x' });
		await expect(resendMessage(getDb(), coord, id)).rejects.toMatchObject({ code: 'outbox.notFailed' });
		await getDb().updateTable('outbox_message').set({ state: 'failed', attempts: 8, last_error: 'refused' }).where('id', '=', id).execute();
		await expect(resendMessage(getDb(), resident, id)).rejects.toMatchObject({ code: 'error.forbidden' });
		await expect(resendMessage(getDb(), elsewhere, id)).rejects.toMatchObject({ code: 'outbox.notFound' });
		await resendMessage(getDb(), coord, id);
		expect(await getDb().selectFrom('outbox_message').where('id', '=', id).select(['state', 'attempts']).executeTakeFirstOrThrow()).toEqual({
			state: 'pending',
			attempts: 0
		});
		const transport = createTransport(`smtp://127.0.0.1:${port}`);
		await drainOutbox(getDb(), transport, FROM, 50, { workerId: 'A' });
		transport.close();
		expect(received.filter((r) => r.subject === 'failed')).toHaveLength(1);
		expect(await getDb().selectFrom('audit_entry').where('lab_id', '=', lab.id).where('action', '=', 'outbox.resend').select('subject_id').execute()).toEqual([
			{ subject_id: id }
		]);
	});
});
