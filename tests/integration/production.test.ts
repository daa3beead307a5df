import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { createDb, migrate } from '../../src/lib/server/db';
import { readiness, metricsAllowed } from '../../src/lib/server/health';
import { observeRequest, renderMetrics, useMetricsDatabase } from '../../src/lib/server/metrics';
import { enqueueMail } from '../../src/lib/server/mail/outbox';
import { generateInstallationSecret, installationSecret, loadInstallationSecret, resetInstallationSecretForTests } from '../../src/lib/server/secret';
import { resetEnvForTests } from '../../src/lib/server/env';
import { checkProductionEnv, prepareProductionDatabase } from '../../src/cli/production';
import { startPgCluster } from '../setup/pg';
import { describeEachDialect, itOnPostgres } from '../setup/db';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'labo-prod-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** `npm run serve`'s entry point, as a separate process. */
function serve(env: Record<string, string>) {
	const r = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/cli/production.ts'], {
		encoding: 'utf8',
		env: { ...process.env, DATABASE_URL: '', ORIGIN: '', LABO_SECRET: '', LOG_LEVEL: 'warn', PORT: '0', ...env },
		timeout: 60_000
	});
	return { code: r.status, out: r.stdout, err: r.stderr };
}

function labo(args: string[], env: Record<string, string>) {
	return spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/cli/index.ts', ...args], {
		encoding: 'utf8',
		env: { ...process.env, DATABASE_URL: '', LABO_SECRET: '', LOG_LEVEL: 'warn', ...env },
		timeout: 60_000
	});
}

describe('npm run serve (production)', () => {
	it('refuses to start without ORIGIN, with one line and a non-zero exit code', () => {
		const r = serve({ DATA_DIR: path.join(tmp, 'no-origin') });
		expect(r.code).not.toBe(0);
		const lines = r.err.trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain('ORIGIN manquant');
		expect(lines[0]).toContain('ORIGIN missing');
		// Nothing was created: the environment is checked before the database is touched.
		expect(fs.existsSync(path.join(tmp, 'no-origin', 'labo.sqlite'))).toBe(false);
	}, 120_000);

	/** Production's checks in this process, with the given environment. */
	async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T> | T): Promise<T> {
		Object.assign(process.env, vars);
		resetEnvForTests();
		try {
			return await fn();
		} finally {
			for (const k of Object.keys(vars)) delete process.env[k];
			resetEnvForTests();
			resetInstallationSecretForTests();
		}
	}

	it('refuses a plain-http ORIGIN other than a loopback address, and an ORIGIN with a path', async () => {
		const check = (origin: string) => withEnv({ ORIGIN: origin }, () => checkProductionEnv());
		await expect(check('http://labo.region.fr')).rejects.toThrow('ORIGIN must start with https://');
		await expect(check('https://labo.region.fr/labo')).rejects.toThrow('without a path');
		expect((await check('http://127.0.0.1:3000')).host).toBe('127.0.0.1:3000');
	});

	it('refuses to start without a secret, never loads the demo, and starts once a secret is stored', async () => {
		const dir = path.join(tmp, 'fresh');
		const env = { DATA_DIR: dir, ORIGIN: 'https://labo.region.fr' };
		await expect(withEnv(env, () => prepareProductionDatabase())).rejects.toThrow('LABO_SECRET missing and no secret stored in the database');

		// The database was migrated, and the demo was not loaded into it.
		const db = createDb({ url: path.join(dir, 'labo.sqlite') });
		try {
			expect(await db.selectFrom('lab').select('id').execute()).toEqual([]);
			expect(await db.selectFrom('account').select('id').execute()).toEqual([]);
		} finally {
			await db.destroy();
		}

		expect(labo(['secret', 'generate'], { DATA_DIR: dir }).stdout).toContain('secret generated and stored');
		const again = createDb({ url: path.join(dir, 'labo.sqlite') });
		try {
			expect(await generateInstallationSecret(again)).toBe('exists');
		} finally {
			await again.destroy();
		}

		// With the stored secret, production's checks pass (and still load no demo).
		await withEnv(env, async () => {
			expect(checkProductionEnv().host).toBe('labo.region.fr');
			await expect(prepareProductionDatabase()).resolves.toBeUndefined();
		});
		const after = createDb({ url: path.join(dir, 'labo.sqlite') });
		try {
			expect(await after.selectFrom('lab').select('id').execute()).toEqual([]);
		} finally {
			await after.destroy();
		}
	}, 180_000);
});

describeEachDialect('installation secret', (getDb) => {
	afterEach(() => {
		delete process.env.LABO_SECRET;
		resetEnvForTests();
		resetInstallationSecretForTests();
	});

	it('is stored once in the database and shared by every server; the environment overrides it', async () => {
		const db = getDb();
		await db.deleteFrom('install_setting').execute();
		expect(await loadInstallationSecret(db, { generate: false })).toBeNull();

		// Two servers starting at once agree on one secret.
		const [a, b] = await Promise.all([loadInstallationSecret(db, { generate: true }), loadInstallationSecret(db, { generate: true })]);
		expect([a?.source, b?.source]).toContain('generated');
		const shared = installationSecret().toString('hex');
		const rows = await db.selectFrom('install_setting').selectAll().execute();
		expect(rows).toHaveLength(1);
		expect(rows[0]!.value).toBe(shared);

		resetInstallationSecretForTests();
		expect(await loadInstallationSecret(db, { generate: false })).toEqual({ source: 'database' });
		expect(installationSecret().toString('hex')).toBe(shared);
		expect(await generateInstallationSecret(db)).toBe('exists');

		process.env.LABO_SECRET = 'an environment secret of some length';
		resetInstallationSecretForTests();
		expect(await loadInstallationSecret(db, { generate: false })).toEqual({ source: 'environment' });
		expect(installationSecret().toString('hex')).not.toBe(shared);
	});

	it('moves a legacy DATA_DIR/journal.secret into the database, so known commenters stay known', async () => {
		const db = getDb();
		await db.deleteFrom('install_setting').execute();
		const dir = path.join(tmp, `legacy-${Math.random().toString(36).slice(2)}`);
		fs.mkdirSync(dir, { recursive: true });
		const legacy = 'ab'.repeat(32);
		fs.writeFileSync(path.join(dir, 'journal.secret'), legacy + '\n');
		process.env.DATA_DIR = dir;
		resetEnvForTests();
		try {
			expect(await loadInstallationSecret(db, { generate: false })).toEqual({ source: 'database' });
			expect(installationSecret().toString('hex')).toBe(legacy);
			expect((await db.selectFrom('install_setting').select('value').executeTakeFirstOrThrow()).value).toBe(legacy);
		} finally {
			delete process.env.DATA_DIR;
			resetEnvForTests();
		}
	});
});

describeEachDialect('readiness and metrics', (getDb, dialect) => {
	it('is ready on a migrated database and counts the outbox from the database', async () => {
		const db = getDb();
		expect(await readiness(db)).toEqual({ ready: true, database: 'ok', pendingMigrations: [] });

		await enqueueMail(db, { labId: null, to: 'a@example.test', subject: 'Bonjour', text: 'Texte' });
		useMetricsDatabase(db);
		observeRequest('/l/[lab]', 'GET', 200, 0.012);
		const { body, contentType } = await renderMetrics();
		expect(contentType).toMatch(/^text\/plain/);
		const families = parsePrometheusTextFormat(body);
		const byName = new Map(families.map((f) => [f.name, f]));
		const outbox = byName.get('labo_outbox_messages');
		expect(outbox?.type).toBe('GAUGE');
		const pending = outbox?.metrics.find((m) => m.labels?.state === 'pending');
		expect(Number(pending?.value)).toBeGreaterThanOrEqual(1);
		const http = byName.get('labo_http_request_duration_seconds');
		expect(http?.type).toBe('HISTOGRAM');
		expect(Number(http?.metrics[0]?.buckets?.['+Inf'])).toBeGreaterThanOrEqual(1);
		// The parser folds a histogram's series together: its labels are read from the text itself.
		expect(body).toMatch(/^labo_http_request_duration_seconds_count\{route="\/l\/\[lab\]",method="GET",status="200"\} [1-9]/m);
		expect(byName.get('labo_jobs_running')?.type).toBe('GAUGE');
		expect(byName.has('labo_process_cpu_seconds_total')).toBe(true);
		// Queries of this test went through a database without the metrics hook; the app's does.
		expect(byName.get('labo_db_query_duration_seconds')?.type).toBe('HISTOGRAM');
	});

	it('is not ready while migrations are pending', async () => {
		const file = path.join(tmp, `pending-${dialect}.sqlite`);
		const db = createDb({ url: file });
		try {
			const r = await readiness(db);
			expect(r.ready).toBe(false);
			expect(r.database).toBe('ok');
			expect(r.pendingMigrations).toContain('001_foundation');
			await migrate(db);
			expect((await readiness(db)).ready).toBe(true);
		} finally {
			await db.destroy();
		}
	});
});

itOnPostgres(
	'readiness turns 503-worthy when the server stops and ready again when it is back',
	async () => {
		const cluster = await startPgCluster();
		const db = createDb({ url: cluster.url('postgres'), poolSize: 2 });
		try {
			await migrate(db);
			expect((await readiness(db)).ready).toBe(true);
			cluster.pause();
			const down = await readiness(db, 1500);
			expect(down.ready).toBe(false);
			expect(down.database).toBe('unreachable');
			cluster.resume();
			// The pool reconnects on its own: the same database object answers again.
			expect(await readiness(db)).toEqual({ ready: true, database: 'ok', pendingMigrations: [] });
		} finally {
			await db.destroy();
			cluster.stop();
		}
	},
	60_000
);

describe('metrics token', () => {
	it('lets anyone read without a token, and only the bearer of the token with one', () => {
		expect(metricsAllowed(undefined, null)).toBe(true);
		expect(metricsAllowed('s3cret-metrics-token', null)).toBe(false);
		expect(metricsAllowed('s3cret-metrics-token', 'Bearer wrong')).toBe(false);
		expect(metricsAllowed('s3cret-metrics-token', 'Basic s3cret-metrics-token')).toBe(false);
		expect(metricsAllowed('s3cret-metrics-token', 'Bearer s3cret-metrics-token')).toBe(true);
	});
});
