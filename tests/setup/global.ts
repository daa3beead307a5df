/**
 * Vitest global setup: migrates one template database per dialect (a SQLite file, and a
 * PostgreSQL database in a throwaway cluster); each test file then copies a template.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDb, migrate } from '../../src/lib/server/db';
import { findPgBin, startPgCluster, type PgCluster } from './pg';

declare module 'vitest' {
	export interface ProvidedContext {
		sqliteTemplate: string;
		pgTemplateUrl: string | null;
	}
}

let cluster: PgCluster | null = null;
let tmp: string | null = null;

export async function setup(project: TestProject) {
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'labo-test-'));
	const sqliteTemplate = path.join(tmp, 'template.sqlite');
	const sdb = createDb({ url: sqliteTemplate });
	await migrate(sdb);
	await sdb.destroy();
	project.provide('sqliteTemplate', sqliteTemplate);

	let pgTemplateUrl: string | null = null;
	if (process.env.LABO_TEST_PG !== '0') {
		if (findPgBin()) {
			cluster = await startPgCluster();
			const admin = new pg.Client({ connectionString: cluster.url('postgres') });
			await admin.connect();
			await admin.query('create database labo_template');
			await admin.end();
			pgTemplateUrl = cluster.url('labo_template');
			const pdb = createDb({ url: pgTemplateUrl, poolSize: 1 });
			await migrate(pdb);
			await pdb.destroy();
		} else if (process.env.CI === 'true') {
			throw new Error('CI=true but PostgreSQL is not installed: run scripts/system-deps.sh');
		} else {
			console.warn('PostgreSQL binaries not found: database tests run on SQLite only');
		}
	}
	project.provide('pgTemplateUrl', pgTemplateUrl);
}

export async function teardown() {
	cluster?.stop();
	if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
