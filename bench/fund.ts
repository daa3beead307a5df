/**
 * npm run bench:fund — on SQLite and on PostgreSQL (a throwaway cluster when installed):
 *  1. throughput of ledger writes with their invariant checks under the envelope lock,
 *     beside plain inserts of the same entries without checks (same run, same database);
 *  2. the time to compute every envelope's balance with 1,000,000 ledger entries.
 * Options (environment): BENCH_ENTRIES (1000000), BENCH_WRITES (2000).
 */
import { sql } from 'kysely';
import { dialectOf, type Db } from '../src/lib/server/db';
import { newId } from '../src/lib/server/db/util';
import { addEnvelope, createFund, createRequest, decideRequest, advanceRequest, listFunds, recordEntry } from '../src/lib/server/fund/fund.service';
import { createExperiment } from '../src/lib/server/experiments/experiments.service';
import type { LabContext } from '../src/lib/server/labs/labs.service';
import { rebuildTotals } from '../src/lib/server/fund/ledger';
import { fmt, machine, onBothDatabases, percentile } from './lib';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const WRITES = Number(process.env.BENCH_WRITES ?? 2_000);
const ENVELOPES = 50;

async function run(name: string, db: Db) {
	const now = new Date().toISOString();
	const lab = { id: newId(), slug: 'bench', name: 'Labo bench', region: 'R', description: '' };
	await db
		.insertInto('lab')
		.values({ ...lab, settings: '{}', created_at: now })
		.execute();
	const ctx: LabContext = { lab, actor: null, role: 'coordinator' };
	const fundId = await createFund(db, ctx, { name: 'Fondex', deciders: 'coordinator' });
	const experimentId = await createExperiment(db, ctx, {
		title: 'X',
		scenario: '',
		summary: '',
		sponsor: '',
		operator: '',
		partners: '',
		lineage: '',
		conclusions: ''
	});
	const envelopes: string[] = [];
	for (let i = 0; i < ENVELOPES; i++) envelopes.push(await addEnvelope(db, ctx, fundId, { year: 2000 + i, amountCents: 10_000_000_000 }));

	// 1,000,000 entries spread over the envelopes, generated inside the database.
	const t0 = Date.now();
	const kinds = `case i % 4 when 0 then 'allocation' when 1 then 'commitment' when 2 then 'payment' else 'release' end`;
	const envExpr =
		dialectOf(db) === 'postgres'
			? sql.raw(`(array[${envelopes.map((e) => `'${e}'`).join(',')}])[1 + i % ${ENVELOPES}]`)
			: sql.raw(`json_extract('${JSON.stringify(envelopes)}', '$[' || (i % ${ENVELOPES}) || ']')`);
	const series =
		dialectOf(db) === 'postgres'
			? sql`generate_series(1, ${ENTRIES}) as s(i)`
			: sql`(with recursive s(i) as (select 1 union all select i + 1 from s where i < ${ENTRIES}) select i from s) as s`;
	await sql`insert into ledger_entry (id, lab_id, envelope_id, experiment_id, kind, amount_cents, request_id, commitment_id, reverses_id, reference, category, author_id, created_at)
		select ${sql.raw(dialectOf(db) === 'postgres' ? "md5(i::text || 'x')" : 'lower(hex(randomblob(16)))')}, ${lab.id}, ${envExpr}, ${experimentId}, ${sql.raw(kinds)}, 100, null, null, null, '', '', null, ${now}
		from ${series}`.execute(db);
	await rebuildTotals(db);
	if (dialectOf(db) === 'postgres') await sql`analyze ledger_entry`.execute(db);
	else await sql`analyze`.execute(db);
	const loadS = (Date.now() - t0) / 1000;

	// Every envelope's balance (what the fund page computes), repeated.
	const times: number[] = [];
	for (let i = 0; i < 7; i++) {
		const s = performance.now();
		await listFunds(db, ctx);
		times.push(performance.now() - s);
	}
	times.sort((a, b) => a - b);

	// Writes with checks: approvals (allocation) on a fresh envelope, then commitments.
	const env = await addEnvelope(db, ctx, fundId, { year: 2100, amountCents: 10_000_000_000 });
	const reqs: string[] = [];
	for (let i = 0; i < WRITES / 2; i++) {
		const r = await createRequest(db, ctx, {
			envelopeId: env,
			experimentId,
			title: 'r',
			justification: '',
			lines: [{ label: 'l', category: '', amountCents: 1000 }]
		});
		await advanceRequest(db, ctx, r, 'submitted');
		reqs.push(r);
	}
	let s = performance.now();
	for (const r of reqs) await decideRequest(db, ctx, r, { approve: true, reason: 'ok' });
	for (let i = 0; i < WRITES / 2; i++) await recordEntry(db, ctx, { kind: 'commitment', envelopeId: env, experimentId, amountCents: 100, reference: 'c' });
	const checkedPerS = WRITES / ((performance.now() - s) / 1000);
	// Baseline: the same number of entries inserted one by one, no checks, no lock.
	s = performance.now();
	for (let i = 0; i < WRITES; i++)
		await db
			.insertInto('ledger_entry')
			.values({
				id: newId(),
				lab_id: lab.id,
				envelope_id: env,
				experiment_id: experimentId,
				kind: 'commitment',
				amount_cents: 1,
				request_id: null,
				commitment_id: null,
				reverses_id: null,
				reference: '',
				category: '',
				author_id: null,
				created_at: now
			})
			.execute();
	const plainPerS = WRITES / ((performance.now() - s) / 1000);

	console.log(
		[
			name.padEnd(11),
			fmt(loadS).padStart(7),
			fmt(percentile(times, 50)).padStart(12),
			fmt(times[times.length - 1]!).padStart(10),
			fmt(checkedPerS, 0).padStart(12),
			fmt(plainPerS, 0).padStart(11),
			`${fmt((checkedPerS / plainPerS) * 100, 1)}%`.padStart(9)
		].join(' ')
	);
}

async function main() {
	console.log(`machine: ${machine()}`);
	console.log(
		`dataset: ${ENTRIES} ledger entries over ${ENVELOPES} envelopes; ${WRITES} checked writes (half approvals, half commitments) on a further envelope\n`
	);
	console.log(
		[
			'database'.padEnd(11),
			'load s'.padStart(7),
			'balances p50'.padStart(12),
			'max ms'.padStart(10),
			'checked w/s'.padStart(12),
			'plain w/s'.padStart(11),
			'ratio'.padStart(9)
		].join(' ')
	);
	await onBothDatabases(run, 4);
	console.log('\nbalances: every envelope of the fund summed from the ledger (the fund page). ratio: checked writes / plain inserts, same run.');
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
