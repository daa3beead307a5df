/**
 * `npm run test:cluster`: many servers, one PostgreSQL. Three production servers (workers on)
 * behind nginx, one PostgreSQL, one SMTP sink. Through the servers' HTTP endpoints: 300 member
 * invitations spread over the three, the three imports each started on its own server, a post
 * scheduled a few seconds ahead, 50 concurrent fund approvals through nginx and a steady read
 * load through nginx. The server running the network import is SIGKILLed halfway through it
 * (with a mail batch of its own in flight when the timing allows), and started again later.
 * Then every claim is checked: mails delivered (duplicates within the documented bound),
 * imports finished by another server with the right counts, the post published once, the fund
 * never overdrawn and its totals equal to its ledger, no 5xx but for requests in flight on the
 * killed server. Ends with one line (see `summary`) and writes .tmp/cluster-results.json for
 * `npm test`'s count. PostgreSQL only: SQLite is one server's database.
 *
 * The servers' background timings are shortened through their documented knobs
 * (LABO_JOB_LEASE_MS, LABO_OUTBOX_LEASE_MS, LABO_TICK_SCALE).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { sql } from 'kysely';
import { buildIfNeeded } from '../../src/cli/build';
import { createDb, type Db } from '../../src/lib/server/db';
import { totalsMatchLedger } from '../../src/lib/server/fund/ledger';
import { findPgBin } from '../setup/pg';
import { formBody, request, startCluster, waitFor, type Cluster, type Sent } from './cluster';
import { LAB, REQUEST_CENTS, seedCluster, type Seeded } from './seed';

const started = Date.now();
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const DIR = path.join(root, '.tmp/cluster');
const RESULTS = path.join(root, '.tmp/cluster-results.json');

const SERVERS = 3;
const INVITATIONS = 300;
/** Two chunks of the import (500 rows each are committed together): the kill falls between them. */
const NETWORK_ROWS = 600;
const SESSION_ROWS = 300;
const FUND_REQUESTS = 50;
const FUNDED = 30;
const WXR_FILE = path.join(root, 'tests/fixtures/wordpress/carnet-wxr-1.2.xml');
const WXR_EXPECTED = { posts: 4, pages: 1, comments: 6, images: 2, redirects: 10, skipped: 4, unchanged: 0 };
const TIMINGS = { LABO_JOB_LEASE_MS: '4000', LABO_OUTBOX_LEASE_MS: '4000', LABO_TICK_SCALE: '0.05' };

// ——— Assertions ———

interface Check {
	name: string;
	ok: boolean;
	detail: string;
}
const checks: Check[] = [];
function check(name: string, ok: boolean, detail = ''): void {
	checks.push({ name, ok, detail });
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}

function writeResults(extra: Record<string, unknown> = {}): void {
	fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
	const failed = checks.filter((c) => !c.ok).length;
	fs.writeFileSync(RESULTS, JSON.stringify({ passed: checks.length - failed, failed, checks, ...extra }, null, 2));
}

// ——— Files ———

function networkCsv(): Buffer {
	const lines = ['nom;email;territoire'];
	for (let i = 1; i <= NETWORK_ROWS; i++) lines.push(`Agent ${i};agent.${i}@reseau.example;13`);
	return Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
}
function sessionCsv(): Buffer {
	const lines = ['nom,email,organisation'];
	for (let i = 1; i <= SESSION_ROWS; i++) lines.push(`Participante ${i},participante.${i}@session.example,Commune ${i % 17}`);
	return Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
}

/** "2026-12-01T07:05:09" in Europe/Paris, as the scheduling form's datetime-local sends it. */
function parisLocal(d: Date): string {
	return new Intl.DateTimeFormat('sv-SE', {
		timeZone: 'Europe/Paris',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		hour12: false
	})
		.format(d)
		.replace(' ', 'T');
}

async function main(): Promise<void> {
	if (!findPgBin()) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql (the cluster suite is PostgreSQL-only)');
	buildIfNeeded(root);

	let seeded!: Seeded;
	const cluster: Cluster = await startCluster({ servers: SERVERS, dir: DIR, env: TIMINGS }, async (url) => {
		seeded = await seedCluster(url, { requests: FUND_REQUESTS, fundedRequests: FUNDED });
	});
	const db: Db = createDb({ url: cluster.databaseUrl, poolSize: 4 });
	console.log(`cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${SERVERS} servers, nginx on ${cluster.origin}`);
	try {
		await scenario(cluster, db, seeded);
	} finally {
		await db.destroy().catch(() => undefined);
		await cluster.stop();
	}
}

async function scenario(cluster: Cluster, db: Db, seeded: Seeded): Promise<void> {
	const sent: Sent[] = [];
	const host = new URL(cluster.origin).host;
	const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
	const cookie = `labo_session=${seeded.coordinatorToken}`;
	/** 'nginx', or a server's index: requests to a server go straight to its port. */
	const portOf = (target: 'nginx' | number) => (target === 'nginx' ? cluster.nginxPort : cluster.servers[target]!.port);
	const get = (target: 'nginx' | number, p: string) =>
		request(sent, { port: portOf(target), target: String(target), host, path: p, headers: { Cookie: cookie }, agent });
	/** A form action as SvelteKit's enhanced forms post it (JSON answer). */
	const action = async (target: 'nginx' | number, p: string, fields: Parameters<typeof formBody>[0]) => {
		const { body, contentType } = await formBody(fields);
		const r = await request(sent, {
			port: portOf(target),
			target: String(target),
			host,
			method: 'POST',
			path: p,
			body,
			agent,
			headers: { Cookie: cookie, Origin: cluster.origin, 'Content-Type': contentType, Accept: 'application/json', 'x-sveltekit-action': 'true' }
		});
		// SvelteKit answers an enhanced form's action with 200 and the outcome in the body.
		let type = '';
		let outcome = 0;
		try {
			const j = JSON.parse(r.body) as { type?: string; status?: number };
			type = j.type ?? '';
			outcome = j.status ?? 0;
		} catch {
			/* not JSON: a proxy's error page, or nothing */
		}
		return { ...r, type, outcome };
	};

	const lab = `/l/${LAB}`;
	const pidOf = (claimedBy: string | null) => Number(/:(\d+):[0-9a-f]+$/.exec(claimedBy ?? '')?.[1] ?? 0);
	const serverOf = (claimedBy: string | null) => cluster.servers.findIndex((s) => s.pids.includes(pidOf(claimedBy)));
	let killAt = 0;
	let killed = -1;
	const down = new Set<number>();
	/** Requests to a server that is down go to the next one, as a load balancer would send them. */
	const alive = (i: number) => {
		for (let k = 0; k < SERVERS; k++) if (!down.has((i + k) % SERVERS)) return (i + k) % SERVERS;
		return i;
	};

	// ——— The imports, each started on its own server ———
	const readyJob = (kind: string) =>
		waitFor(
			`${kind} ready`,
			() =>
				db.selectFrom('import_job').where('lab_id', '=', seeded.labId).where('kind', '=', kind).where('state', '=', 'ready').select('id').executeTakeFirst(),
			5000
		);
	const startImport = async (server: number, kind: string, previewPath: string, runPath: string, file: { name: string; type: string; bytes: Buffer }) => {
		const preview = await action(server, `${previewPath}?/preview`, { file });
		if (preview.type !== 'success') throw new Error(`${kind}: preview answered ${preview.status} ${preview.body.slice(0, 300)}`);
		const job = await readyJob(kind);
		const run = await action(server, `${runPath}?/${kind === 'session' ? 'import' : 'run'}`, { jobId: job.id });
		if (run.type !== 'redirect') throw new Error(`${kind}: run answered ${run.status} ${run.body.slice(0, 300)}`);
		return job.id;
	};
	const networkJob = await startImport(0, 'network.invitations', `${lab}/network/import`, `${lab}/network/import`, {
		name: 'agents.csv',
		type: 'text/csv',
		bytes: networkCsv()
	});
	const imports = Promise.all([
		startImport(1, 'session', `${lab}/events/${seeded.eventId}/groups/import`, `${lab}/events/${seeded.eventId}/groups/import`, {
			name: 'participants.csv',
			type: 'text/csv',
			bytes: sessionCsv()
		}),
		startImport(2, 'journal.wordpress', `${lab}/journal/import`, `${lab}/journal/import`, {
			name: 'carnet.xml',
			type: 'text/xml',
			bytes: fs.readFileSync(WXR_FILE)
		})
	]);
	imports.catch(() => undefined); // awaited below, where a failure ends the run

	// ——— A steady read load through nginx (safe GETs: nginx moves them off a dead server) ———
	let loading = true;
	const reads = [0, 1].map(async (k) => {
		while (loading) await get('nginx', k ? `${lab}/journal/${seeded.publicPostSlug}` : lab);
	});

	// ——— The post scheduled a few seconds ahead (the publish tick runs every 3 s here) ———
	const publishAt = new Date(Date.now() + 6000);
	const schedule = action('nginx', `${lab}/journal/admin/${seeded.draftPostId}?/state`, { to: 'scheduled', publishAt: parisLocal(publishAt) });

	// ——— 300 invitations, 100 sent straight to each server ———
	const invitationResults: { type: string; status: number; error?: string }[] = [];
	const invitations = Promise.all(
		Array.from({ length: SERVERS }, async (_, server) => {
			for (let i = server; i < INVITATIONS; i += SERVERS * 2) {
				await Promise.all(
					[i, i + SERVERS]
						.filter((n) => n < INVITATIONS)
						.map(async (n) => {
							let r = await action(alive(server), `${lab}/members?/invite`, { name: `Invitée ${n}`, email: `invitee.${n}@membres.example`, role: 'resident' });
							// Refused before it reached anyone (the server had just died): sent elsewhere.
							if (r.error === 'ECONNREFUSED')
								r = await action(alive(server + 1), `${lab}/members?/invite`, {
									name: `Invitée ${n}`,
									email: `invitee.${n}@membres.example`,
									role: 'resident'
								});
							invitationResults.push({ type: r.type, status: r.status, error: r.error });
						})
				);
			}
		})
	);

	// ——— 50 concurrent fund approvals through nginx ———
	const approvals = Promise.all(
		seeded.requestIds.map((id) => action('nginx', `${lab}/fund/requests/${id}?/decide`, { decision: 'approve', reason: 'Conforme au règlement du fonds' }))
	);

	// ——— The kill: the server running the network import, halfway through it ———
	let inflightMails = 0;
	let killedDone = 0;
	let killedHadBatch = false;
	const claimers = new Set<number>();
	{
		let firstSeen = 0;
		for (;;) {
			const job = await db.selectFrom('import_job').where('id', '=', networkJob).select(['state', 'claimed_by', 'done', 'total']).executeTakeFirstOrThrow();
			if (job.state === 'done' || job.state === 'failed') break;
			if (job.state === 'running' && job.claimed_by && job.done > 0 && job.done < job.total) {
				const x = serverOf(job.claimed_by);
				firstSeen ||= Date.now();
				const sending = await db
					.selectFrom('outbox_message')
					.where('state', '=', 'sending')
					.where('claimed_by', '=', job.claimed_by)
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.executeTakeFirstOrThrow();
				if (Number(sending.n) > 0 || Date.now() - firstSeen > 1500) {
					killedHadBatch = Number(sending.n) > 0;
					killed = x;
					killedDone = job.done;
					const proc = cluster.servers[x]!.proc!;
					const exited = new Promise((r) => proc.once('exit', r));
					killAt = Date.now();
					down.add(x);
					cluster.kill(x);
					await exited;
					// What the dead server held: these mails may reach the sink twice, no others.
					const held = await db
						.selectFrom('outbox_message')
						.where('state', '=', 'sending')
						.where('claimed_by', '=', job.claimed_by)
						.select((eb) => eb.fn.countAll<number>().as('n'))
						.executeTakeFirstOrThrow();
					inflightMails = Number(held.n);
					claimers.add(x);
					console.log(
						`killed server ${x} (pid ${proc.pid}) at ${((killAt - started) / 1000).toFixed(1)} s: network import at ${job.done}/${job.total}, ${inflightMails} mails of its batch in flight`
					);
					break;
				}
			}
			await new Promise((r) => setTimeout(r, 20));
		}
	}
	check(
		'a server was killed in the middle of an import',
		killed >= 0 && killedDone > 0 && killedDone < NETWORK_ROWS,
		killed >= 0 ? `server ${killed} at ${killedDone}/${NETWORK_ROWS}` : 'the network import ended before it could be caught running'
	);
	check('…and in the middle of a mail batch', killedHadBatch && inflightMails > 0, `${inflightMails} mails claimed by it, not marked sent`);

	// The network import taken over: watch who holds it until it ends; the dead server is started
	// again once another one holds the job.
	let restart: Promise<void> | null = null;
	const startAgain = () =>
		cluster.start(killed).then(() => {
			down.delete(killed);
			console.log(`server ${killed} started again at ${((Date.now() - started) / 1000).toFixed(1)} s`);
		});
	const networkEnd = await waitFor(
		'network import end',
		async () => {
			const j = await db.selectFrom('import_job').where('id', '=', networkJob).select(['state', 'claimed_by']).executeTakeFirstOrThrow();
			if (j.claimed_by) claimers.add(serverOf(j.claimed_by));
			if (killed >= 0 && !restart && [...claimers].some((c) => c >= 0 && c !== killed)) restart = startAgain();
			return j.state === 'done' || j.state === 'failed' ? j : null;
		},
		60_000,
		25
	);
	if (killed >= 0) await (restart ?? startAgain());

	const [sessionJob, wxrJob] = await imports;
	const [scheduled, approvalResults] = await Promise.all([schedule, approvals, invitations]);

	// Everything settles: the jobs end, the outbox empties, the post goes out.
	await waitFor(
		'the background work to settle',
		async () => {
			const jobs = await db.selectFrom('import_job').where('lab_id', '=', seeded.labId).where('state', 'not in', ['done', 'failed']).select('id').execute();
			const outbox = await db.selectFrom('outbox_message').where('state', 'in', ['pending', 'sending']).select('id').execute();
			const post = await db.selectFrom('post').where('id', '=', seeded.draftPostId).select('state').executeTakeFirstOrThrow();
			return jobs.length === 0 && outbox.length === 0 && post.state === 'published';
		},
		60_000,
		100
	).catch((e: unknown) => check('the background work settled', false, String(e)));
	loading = false;
	await Promise.all(reads);
	// A duplicate comes from a lapsed batch re-sent by another server: by now it has arrived.
	agent.destroy();

	// ——— Mail ———
	const outbox = await db.selectFrom('outbox_message').select(['message_id', 'state']).execute();
	const expected = new Set(outbox.map((m) => (m.message_id ?? '').replace(/^<|>$/g, '')));
	const received = cluster.smtp.byId;
	let delivered = 0;
	for (const id of expected) if ((received.get(id) ?? 0) > 0) delivered++;
	const unknown = [...received.keys()].filter((id) => !expected.has(id));
	const duplicates = [...received.values()].reduce((a, n) => a + n - 1, 0);
	const notSent = outbox.filter((m) => m.state !== 'sent').length;
	check(
		'every queued mail was sent and delivered',
		delivered === outbox.length && notSent === 0 && outbox.length > 0,
		`${delivered}/${outbox.length} delivered, ${notSent} not marked sent`
	);
	check('the sink received no mail the outbox does not know', unknown.length === 0, unknown.slice(0, 3).join(', '));
	check(
		'duplicates within the bound (at most one per mail in flight on the killed server)',
		duplicates <= inflightMails,
		`${duplicates} duplicates, bound ${inflightMails}`
	);
	const invited = invitationResults.filter((r) => r.type === 'success').length;
	const invitationsLost = invitationResults.filter((r) => r.status === 0 || r.status >= 500).length;
	check(
		'the invitations were queued by the three servers',
		invited + invitationsLost === INVITATIONS && invited >= INVITATIONS - 12,
		`${invited} accepted, ${invitationsLost} in flight on the killed server`
	);

	// ——— Imports ———
	const jobs = await db
		.selectFrom('import_job')
		.where('id', 'in', [networkJob, sessionJob, wxrJob])
		.select(['id', 'kind', 'state', 'result', 'attempts'])
		.execute();
	const jobOf = (id: string) => jobs.find((j) => j.id === id)!;
	const resultOf = (id: string) => JSON.parse(jobOf(id).result || '{}') as Record<string, unknown>;
	let importsOk = 0;
	const net = resultOf(networkJob);
	const invitationsWritten = Number(
		(
			await db
				.selectFrom('network_invitation')
				.where('lab_id', '=', seeded.labId)
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);
	const netMails = Number(
		(
			await db
				.selectFrom('outbox_message')
				.where('to_address', 'like', 'agent.%@reseau.example')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);
	const finishers = [...claimers].filter((s) => s !== killed);
	const netOk =
		networkEnd.state === 'done' && net.new === NETWORK_ROWS && invitationsWritten === NETWORK_ROWS && netMails === NETWORK_ROWS && finishers.length > 0;
	check(
		'the network import was finished by another server, each row written and mailed once',
		netOk,
		`state ${networkEnd.state}, new ${String(net.new)}, ${invitationsWritten} invitations, ${netMails} mails, attempts ${jobOf(networkJob).attempts}, held by servers ${[...claimers].join(',')}`
	);
	if (netOk) importsOk++;
	const ses = resultOf(sessionJob);
	const participants = Number(
		(
			await db
				.selectFrom('session_participant')
				.where('event_id', '=', seeded.eventId)
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow()
		).n
	);
	const sesOk = jobOf(sessionJob).state === 'done' && ses.added === SESSION_ROWS && participants === SESSION_ROWS;
	check(
		'the session participants import finished with its counts',
		sesOk,
		`state ${jobOf(sessionJob).state}, added ${String(ses.added)}, ${participants} participants`
	);
	if (sesOk) importsOk++;
	const wxr = resultOf(wxrJob);
	const wxrOk = jobOf(wxrJob).state === 'done' && Object.entries(WXR_EXPECTED).every(([k, v]) => wxr[k] === v);
	check('the WordPress import finished with its counts', wxrOk, `state ${jobOf(wxrJob).state}, ${JSON.stringify(wxr)}`);
	if (wxrOk) importsOk++;

	// ——— The scheduled post ———
	const publications = await db
		.selectFrom('audit_entry')
		.where('subject_id', '=', seeded.draftPostId)
		.where('action', '=', 'post.state')
		.where('summary', 'like', '%"to":"published"%')
		.select('id')
		.execute();
	const postRow = await db.selectFrom('post').where('id', '=', seeded.draftPostId).select(['state', 'published_at']).executeTakeFirstOrThrow();
	check('the post was scheduled through a server', scheduled.type === 'success', `${scheduled.status} ${scheduled.type}`);
	check(
		'the scheduled post was published once, at its time',
		postRow.state === 'published' &&
			publications.length === 1 &&
			postRow.published_at === new Date(Math.floor(publishAt.getTime() / 1000) * 1000).toISOString(),
		`${publications.length} publication(s), published_at ${postRow.published_at}`
	);

	// ——— The fund ———
	const env = await db.selectFrom('envelope').where('id', '=', seeded.envelopeId).select('amount_cents').executeTakeFirstOrThrow();
	const allocated = Number(
		(
			await db
				.selectFrom('ledger_entry')
				.where('envelope_id', '=', seeded.envelopeId)
				.where('kind', '=', 'allocation')
				.select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), sql<number>`0`).as('n'))
				.executeTakeFirstOrThrow()
		).n
	);
	const approved = await db
		.selectFrom('funding_request')
		.where('envelope_id', '=', seeded.envelopeId)
		.where('state', '=', 'approved')
		.select('decided_amount_cents')
		.execute();
	const approvedSum = approved.reduce((a, r) => a + Number(r.decided_amount_cents), 0);
	const accepted = approvalResults.filter((r) => r.type === 'success').length;
	const refused = approvalResults.filter((r) => r.type === 'failure' && r.outcome === 409).length;
	const lostApprovals = approvalResults.filter((r) => r.status === 0 || r.status >= 500).length;
	check('the fund was never overdrawn', allocated <= Number(env.amount_cents), `${allocated / 100} € allocated of ${Number(env.amount_cents) / 100} €`);
	check(
		'the fund totals equal its ledger',
		(await totalsMatchLedger(db)) && approvedSum === allocated && approved.length * REQUEST_CENTS === allocated,
		`${approved.length} approved, ${approvedSum / 100} € decided`
	);
	check(
		'concurrent approvals: as many as the envelope holds, the others refused',
		accepted + refused + lostApprovals === FUND_REQUESTS &&
			approved.length >= FUNDED - lostApprovals &&
			approved.length <= FUNDED &&
			accepted <= approved.length,
		`${accepted} approved, ${refused} refused (409), ${lostApprovals} lost with the killed server`
	);

	// ——— HTTP: no 5xx but for what was in flight on the killed server ———
	const nginxLog = fs.existsSync(cluster.accessLog) ? fs.readFileSync(cluster.accessLog, 'utf8').split('\n') : [];
	const upstreamOf = new Map(
		nginxLog
			.map((l) => l.split(' '))
			.filter((f) => f.length >= 7)
			.map((f) => [f[6]!, f[4]!])
	);
	const killedPort = killed >= 0 ? `127.0.0.1:${cluster.servers[killed]!.port}` : '-';
	const inFlightAtKill = (s: Sent) => killAt > 0 && s.start <= killAt + 50 && s.end >= killAt;
	const bad = sent.filter((s) => s.status >= 500 || s.status === 0);
	const excused = bad.filter(
		(s) => inFlightAtKill(s) && (s.target === String(killed) || (s.target === 'nginx' && (upstreamOf.get(s.id) ?? '').includes(killedPort)))
	);
	const unexcused = bad.filter((s) => !excused.includes(s));
	check(
		'no request answered 5xx (or dropped) but those in flight on the killed server',
		unexcused.length === 0,
		`${sent.length} requests, ${excused.length} in flight at the kill${
			unexcused.length
				? `; unexpected: ${unexcused
						.slice(0, 3)
						.map((s) => `${s.method} ${s.path} → ${s.status || s.error} via ${s.target} upstream ${upstreamOf.get(s.id) ?? '?'}`)
						.join('; ')}`
				: ''
		}`
	);
	const reads200 = sent.filter((s) => s.method === 'GET' && s.target === 'nginx' && s.status === 200).length;
	const readsAll = sent.filter((s) => s.method === 'GET' && s.target === 'nginx').length;
	check('safe reads through nginx never failed, even across the kill', reads200 === readsAll && readsAll > 0, `${reads200}/${readsAll} GETs answered 200`);
	const back = killed >= 0 ? (await get(killed, '/readyz')).status : 0;
	check('the killed server came back', back === 200, `readyz ${back}`);

	const last = `cluster: servers=${SERVERS} killed=${killed >= 0 ? 1 : 0} mails=${outbox.length} delivered=${delivered} duplicates=${duplicates} imports=${importsOk}/3 scheduled=${publications.length} ledger=${(await totalsMatchLedger(db)) && allocated <= Number(env.amount_cents) ? 'ok' : 'broken'}`;
	writeResults({ line: last, seconds: (Date.now() - started) / 1000, requests: sent.length, inflightMails, killedAt: killedDone });
	console.log(
		`duration ${((Date.now() - started) / 1000).toFixed(1)} s, ${checks.filter((c) => !c.ok).length} failed of ${checks.length} checks; logs in .tmp/cluster`
	);
	console.log(last);
	process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
}

main().catch((e: unknown) => {
	check('the cluster ran to its end', false, e instanceof Error ? (e.stack ?? e.message) : String(e));
	writeResults();
	console.log(`cluster: servers=${SERVERS} killed=0 mails=0 delivered=0 duplicates=0 imports=0/3 scheduled=0 ledger=unknown`);
	process.exit(1);
});
