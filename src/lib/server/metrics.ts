/**
 * Prometheus metrics (`GET /metrics`): request durations by route and status, database query
 * time, the outbox's pending and failed mails, running jobs, and Node's process metrics.
 * Gauges that describe shared state (outbox, jobs) are read from the database at scrape time,
 * so every server reports the same truth.
 */
import client from 'prom-client';
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import { outboxCounts } from './mail';
import { runningJobCount } from './jobs/counters';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'labo_' });

const httpDuration = new client.Histogram({
	name: 'labo_http_request_duration_seconds',
	help: 'Time to answer an HTTP request, by route, method and status',
	labelNames: ['route', 'method', 'status'] as const,
	buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
	registers: [registry]
});

const queryDuration = new client.Histogram({
	name: 'labo_db_query_duration_seconds',
	help: 'Time of each database query',
	buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
	registers: [registry]
});

/** Records one answered request; `route` is SvelteKit's route id (never the raw path: bounded labels). */
export function observeRequest(route: string | null, method: string, status: number, seconds: number): void {
	httpDuration.observe({ route: route ?? 'unmatched', method, status: String(status) }, seconds);
}

export function observeQuery(ms: number): void {
	queryDuration.observe(ms / 1000);
}

let source: Kysely<Database> | null = null;

/** The database the shared-state gauges read at scrape time. */
export function useMetricsDatabase(db: Kysely<Database>): void {
	source = db;
}

new client.Gauge({
	name: 'labo_outbox_messages',
	help: 'Mails in the outbox by state (pending, failed)',
	labelNames: ['state'] as const,
	registers: [registry],
	async collect() {
		if (!source) return;
		const n = await outboxCounts(source);
		this.set({ state: 'pending' }, n.pending);
		this.set({ state: 'failed' }, n.failed);
	}
});

new client.Gauge({
	name: 'labo_jobs_running',
	help: 'Background jobs (imports) currently running',
	registers: [registry],
	async collect() {
		if (!source) return;
		this.set(await runningJobCount(source));
	}
});

/** The text exposition of every metric. */
export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
	return { body: await registry.metrics(), contentType: registry.contentType };
}
