import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { dialectOf } from '../db';
import { newId, nowIso } from '../db/util';
import { DomainError } from '../errors';

export type EntryKind = 'allocation' | 'commitment' | 'payment' | 'release';

const queues = new Map<string, Promise<void>>();

/**
 * Runs `fn` after this process's earlier calls for the same key have ended. A burst of writes
 * to one envelope (fifty approvals at once) then waits here rather than in fifty transactions
 * blocked on the row lock, each holding one of the pool's connections: the other requests of
 * this server keep getting connections. Other servers still meet at the row lock.
 */
async function oneAtATime<T>(key: string, fn: () => Promise<T>): Promise<T> {
	const before = queues.get(key) ?? Promise.resolve();
	let release!: () => void;
	const gate = new Promise<void>((r) => (release = r));
	const mine = before.then(() => gate);
	queues.set(key, mine);
	await before;
	try {
		return await fn();
	} finally {
		release();
		if (queues.get(key) === mine) queues.delete(key);
	}
}

/**
 * Runs `fn` in a write transaction that holds the envelope: `BEGIN IMMEDIATE` on SQLite (the
 * database's single writer lock), `SELECT … FOR UPDATE` on the envelope row on PostgreSQL. Every
 * invariant is re-checked inside, so concurrent writers can never overdraw.
 */
export async function withEnvelopeLock<T>(db: Kysely<Database>, envelopeId: string, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
	if (db.isTransaction) {
		// Inside the caller's transaction (e.g. loading the demo): lock the row where the database can.
		if (dialectOf(db) === 'postgres') await db.selectFrom('envelope').where('id', '=', envelopeId).select('id').forUpdate().execute();
		return fn(db);
	}
	if (dialectOf(db) === 'postgres') {
		return oneAtATime(envelopeId, () =>
			db.transaction().execute(async (trx) => {
				await trx.selectFrom('envelope').where('id', '=', envelopeId).select('id').forUpdate().execute();
				return fn(trx);
			})
		);
	}
	return db.connection().execute(async (conn) => {
		await sql`begin immediate`.execute(conn);
		try {
			const result = await fn(conn);
			await sql`commit`.execute(conn);
			return result;
		} catch (e) {
			await sql`rollback`.execute(conn);
			throw e;
		}
	});
}

const sum = async (q: Promise<{ n: unknown } | undefined>) => Number((await q)?.n ?? 0);

/** Σ of one kind of entry (reversals are entries of the same kind with a negative amount). */
function total(db: Kysely<Database>, where: { envelopeId: string; experimentId?: string; kind: EntryKind; commitmentId?: string }) {
	let q = db.selectFrom('ledger_entry').where('envelope_id', '=', where.envelopeId).where('kind', '=', where.kind);
	if (where.experimentId) q = q.where('experiment_id', '=', where.experimentId);
	if (where.commitmentId) q = q.where('commitment_id', '=', where.commitmentId);
	return sum(q.select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_cents'), sql<number>`0`).as('n')).executeTakeFirst());
}

export interface Balance {
	budget: number;
	allocated: number;
	committed: number;
	paid: number;
	available: number;
}

/** An envelope's figures, from the running totals kept with each entry (see totalsMatchLedger). */
export async function envelopeBalance(db: Kysely<Database>, envelopeId: string): Promise<Balance> {
	const env = await db.selectFrom('envelope').where('id', '=', envelopeId).select('amount_cents').executeTakeFirstOrThrow();
	const rows = await db.selectFrom('envelope_total').where('envelope_id', '=', envelopeId).select(['kind', 'amount_cents as n']).execute();
	const by = (k: EntryKind) => Number(rows.find((r) => r.kind === k)?.n ?? 0);
	const allocated = by('allocation') - by('release');
	return { budget: Number(env.amount_cents), allocated, committed: by('commitment'), paid: by('payment'), available: Number(env.amount_cents) - allocated };
}

/** Allocated to one experiment in one envelope, net of releases. */
export async function experimentAllocation(db: Kysely<Database>, envelopeId: string, experimentId: string) {
	const [alloc, release, committed] = await Promise.all([
		total(db, { envelopeId, experimentId, kind: 'allocation' }),
		total(db, { envelopeId, experimentId, kind: 'release' }),
		total(db, { envelopeId, experimentId, kind: 'commitment' })
	]);
	return { allocated: alloc - release, committed, unspent: alloc - release - committed };
}

interface EntryInput {
	labId: string;
	envelopeId: string;
	experimentId: string;
	kind: EntryKind;
	amountCents: number;
	requestId?: string | null;
	commitmentId?: string | null;
	reversesId?: string | null;
	reference?: string;
	category?: string;
	authorId: string | null;
}

/**
 * Appends one entry after checking, inside the caller's locked transaction, that it keeps every
 * invariant: allocations ≤ envelope, commitments ≤ allocation, payments ≤ commitment,
 * releases ≤ what is allocated and not committed. Amounts are positive integer cents.
 */
export async function appendEntry(trx: Kysely<Database>, e: EntryInput): Promise<string> {
	if (!Number.isSafeInteger(e.amountCents) || (e.amountCents <= 0 && !e.reversesId)) throw new DomainError('fund.badAmount', 400, {}, 'amount');
	if (!e.reversesId) {
		if (e.kind === 'allocation') {
			const b = await envelopeBalance(trx, e.envelopeId);
			if (e.amountCents > b.available) throw new DomainError('fund.envelopeExceeded', 409, { available: b.available / 100 }, 'amount');
		} else if (e.kind === 'commitment') {
			const a = await experimentAllocation(trx, e.envelopeId, e.experimentId);
			if (e.amountCents > a.unspent) throw new DomainError('fund.allocationExceeded', 409, { available: a.unspent / 100 }, 'amount');
		} else if (e.kind === 'payment') {
			if (!e.commitmentId) throw new DomainError('fund.noCommitment', 400);
			const [committed, reversals, paid] = await Promise.all([
				sum(trx.selectFrom('ledger_entry').where('id', '=', e.commitmentId).where('kind', '=', 'commitment').select('amount_cents as n').executeTakeFirst()),
				total(trx, { envelopeId: e.envelopeId, kind: 'commitment', commitmentId: e.commitmentId }),
				total(trx, { envelopeId: e.envelopeId, kind: 'payment', commitmentId: e.commitmentId })
			]);
			const open = committed + reversals - paid;
			if (e.amountCents > open) throw new DomainError('fund.commitmentExceeded', 409, { available: open / 100 }, 'amount');
		} else if (e.kind === 'release') {
			const a = await experimentAllocation(trx, e.envelopeId, e.experimentId);
			if (e.amountCents > a.unspent) throw new DomainError('fund.releaseExceeded', 409, { available: a.unspent / 100 }, 'amount');
		}
	}
	const id = newId();
	await trx
		.insertInto('envelope_total')
		.values({ envelope_id: e.envelopeId, kind: e.kind, amount_cents: e.amountCents })
		.onConflict((oc) => oc.columns(['envelope_id', 'kind']).doUpdateSet({ amount_cents: sql`envelope_total.amount_cents + ${e.amountCents}` }))
		.execute();
	await trx
		.insertInto('ledger_entry')
		.values({
			id,
			lab_id: e.labId,
			envelope_id: e.envelopeId,
			experiment_id: e.experimentId,
			kind: e.kind,
			amount_cents: e.amountCents,
			request_id: e.requestId ?? null,
			commitment_id: e.commitmentId ?? null,
			reverses_id: e.reversesId ?? null,
			reference: e.reference ?? '',
			category: e.category ?? '',
			author_id: e.authorId,
			created_at: nowIso()
		})
		.execute();
	return id;
}

/** Recomputes the running totals from the ledger (after a bulk load) — the ledger is the truth. */
export async function rebuildTotals(db: Kysely<Database>): Promise<void> {
	await db.deleteFrom('envelope_total').execute();
	await sql`insert into envelope_total (envelope_id, kind, amount_cents)
		select envelope_id, kind, sum(amount_cents) from ledger_entry group by envelope_id, kind`.execute(db);
}

/** Whether every running total equals the sum of its ledger entries. */
export async function totalsMatchLedger(db: Kysely<Database>): Promise<boolean> {
	const [sums, totals] = await Promise.all([
		db
			.selectFrom('ledger_entry')
			.groupBy(['envelope_id', 'kind'])
			.select(['envelope_id', 'kind', (eb) => eb.fn.sum<number>('amount_cents').as('n')])
			.execute(),
		db.selectFrom('envelope_total').selectAll().execute()
	]);
	const key = (e: string, k: string) => `${e}:${k}`;
	const t = new Map(totals.map((r) => [key(r.envelope_id, r.kind), Number(r.amount_cents)]));
	return sums.length === totals.length && sums.every((s) => t.get(key(s.envelope_id, s.kind)) === Number(s.n));
}

/** Whether an envelope belongs to the lab: 404 (on the envelope field) otherwise. */
export async function requireEnvelope(db: Kysely<Database>, labId: string, envelopeId: string): Promise<void> {
	const env = await db.selectFrom('envelope').where('id', '=', envelopeId).where('lab_id', '=', labId).select('id').executeTakeFirst();
	if (!env) throw new DomainError('fund.notFound', 404, {}, 'envelopeId');
}
