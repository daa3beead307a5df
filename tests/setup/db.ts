import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { createDb, type Db, type Dialect } from '../../src/lib/server/db';

/** The dialects this run tests against: SQLite always, PostgreSQL where a cluster was started. */
export function dialects(): Dialect[] {
	return inject('pgTemplateUrl') ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh, migrated database copied from the run's template. */
export async function freshDb(dialect: Dialect, poolSize = 10): Promise<{ db: Db; url: string; drop: () => Promise<void> }> {
	if (dialect === 'sqlite') {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labo-db-'));
		const file = path.join(dir, 'test.sqlite');
		fs.copyFileSync(inject('sqliteTemplate'), file);
		const db = createDb({ url: file });
		return {
			db,
			url: file,
			drop: async () => {
				await db.destroy();
				fs.rmSync(dir, { recursive: true, force: true });
			}
		};
	}
	const templateUrl = inject('pgTemplateUrl');
	if (!templateUrl) throw new Error('no PostgreSQL template');
	const name = `t_${randomBytes(6).toString('hex')}`;
	const adminUrl = templateUrl.replace(/\/labo_template$/, '/postgres');
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	await admin.query(`create database ${name} template labo_template`);
	await admin.end();
	const url = templateUrl.replace(/\/labo_template$/, `/${name}`);
	const db = createDb({ url, poolSize });
	return {
		db,
		url,
		drop: async () => {
			await db.destroy();
			const a = new pg.Client({ connectionString: adminUrl });
			await a.connect();
			await a.query(`drop database if exists ${name} with (force)`);
			await a.end();
		}
	};
}

/**
 * Declares the same suite once per dialect, each with its own fresh database.
 * `fn` receives a getter because the database only exists once `beforeAll` has run.
 */
export function describeEachDialect(name: string, fn: (getDb: () => Db, dialect: Dialect) => void): void {
	for (const dialect of dialects()) {
		describe(`${name} [${dialect}]`, () => {
			let handle: Awaited<ReturnType<typeof freshDb>> | undefined;
			beforeAll(async () => {
				handle = await freshDb(dialect);
			});
			afterAll(async () => {
				await handle?.drop();
			});
			fn(() => {
				if (!handle) throw new Error('database not ready');
				// Tests that open more connections to the same database read its address here.
				Object.assign(handle.db, { __url: handle.url });
				return handle.db;
			}, dialect);
		});
	}
}

/**
 * A test that needs PostgreSQL itself (pg_dump, stopping a server). Registered only in runs that
 * test PostgreSQL: the SQLite-only runs on other Node versions leave it out rather than skip it.
 */
export function itOnPostgres(name: string, fn: () => Promise<void>, timeout?: number): void {
	if (dialects().includes('postgres')) it(name, fn, timeout);
}
