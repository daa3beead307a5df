import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, type LogConfig, type MigrationResultSet } from 'kysely';
import type { Database } from './schema';
import { migrations } from './migrations';
import { env, sqlitePath } from '../env';
import { observeQuery } from '../metrics';

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';

// Postgres returns bigint (count, sum) as strings by default; our amounts fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));

export interface DbOptions {
	/** postgres://… or a path to a SQLite file. */
	url: string;
	poolSize?: number;
	/** Called with each query's duration in milliseconds (the metrics' query histogram). */
	onQuery?: (ms: number) => void;
}

export function isPostgresUrl(url: string): boolean {
	return /^postgres(ql)?:\/\//.test(url);
}

/**
 * Opens a SQLite file with better-sqlite3. LABO_SQLITE_BINDING, when set, is the path of a
 * better_sqlite3.node compiled for the running Node (the tests run on several Node versions
 * with one node_modules: scripts/other-node.sh builds one per version).
 */
export function openSqlite(file: string, options: SQLite.Options = {}): SQLite.Database {
	const nativeBinding = process.env.LABO_SQLITE_BINDING || undefined;
	return new SQLite(file, nativeBinding ? { ...options, nativeBinding } : options);
}

/** Opens a database: PostgreSQL for a postgres:// URL, otherwise a SQLite file (WAL, busy timeout, FKs). */
export function createDb(opts: DbOptions): Db {
	if (isPostgresUrl(opts.url)) {
		const pool = new pg.Pool({
			connectionString: opts.url,
			max: opts.poolSize ?? 10,
			connectionTimeoutMillis: 5000
		});
		// A client that loses its server (a restart, a failover) must not crash the process: idle
		// ones report to the pool, and one checked out between two queries reports on itself.
		pool.on('error', () => {});
		pool.on('connect', (client) => client.on('error', () => {}));
		return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: queryLogger(opts) });
	}
	if (opts.url !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(opts.url)), { recursive: true });
	const database = openSqlite(opts.url);
	database.pragma('journal_mode = WAL');
	database.pragma('busy_timeout = 5000');
	database.pragma('foreign_keys = ON');
	database.pragma('synchronous = NORMAL');
	// SQLite's own lower() only knows ASCII: "Émile" would never match "émile". Use Unicode's.
	database.function('lower', { deterministic: true }, (s: unknown) => (s === null || s === undefined ? null : String(s).toLowerCase()));
	return new Kysely<Database>({ dialect: new SqliteDialect({ database }), log: queryLogger(opts) });
}

function queryLogger(opts: DbOptions): LogConfig | undefined {
	const onQuery = opts.onQuery;
	if (!onQuery) return undefined;
	return (e) => onQuery(e.queryDurationMillis);
}

export function dialectOf(db: Kysely<any>): Dialect {
	return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** Runs every pending migration; throws with the failing migration's name. */
export async function migrate(db: Kysely<any>): Promise<MigrationResultSet> {
	const migrator = new Migrator({
		db,
		provider: { getMigrations: async () => migrations }
	});
	const result = await migrator.migrateToLatest();
	if (result.error) {
		const failed = result.results?.find((r) => r.status === 'Error');
		const reason = result.error instanceof Error ? result.error.message : String(result.error);
		throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${reason}`);
	}
	return result;
}

export function configuredUrl(): string {
	return env().DATABASE_URL ?? sqlitePath();
}

let instance: Db | undefined;

/** The app's database, opened once from the environment. */
export function getDb(): Db {
	instance ??= createDb({ url: configuredUrl(), onQuery: observeQuery });
	return instance;
}

export async function closeDb(): Promise<void> {
	if (instance) await instance.destroy();
	instance = undefined;
}

/** A one-line, human explanation of why the database cannot be reached. */
export async function checkConnection(db: Kysely<any>): Promise<void> {
	const { sql } = await import('kysely');
	await sql`select 1`.execute(db);
}

/** Names of the migrations this code knows that the database has not run yet. */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
	const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
	const all = await migrator.getMigrations();
	return all.filter((m) => !m.executedAt).map((m) => m.name);
}
