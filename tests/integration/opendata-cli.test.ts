/**
 * `labo export subventions` on both databases: the demo lab's grants file written, the incomplete
 * request named on stderr, exit code 1 with --strict, 2 on wrong usage.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { closeDb } from '../../src/lib/server/db';
import { resetEnvForTests } from '../../src/lib/server/env';
import { runCli } from '../../src/cli/main';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { describeEachDialect } from '../setup/db';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'labo-opendata-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The dispatcher in this process, against the given database, its output captured. */
async function labo(args: string[], env: Record<string, string>) {
	const saved = { ...process.env };
	Object.assign(process.env, { DATABASE_URL: '', LOG_LEVEL: 'warn', ...env });
	resetEnvForTests();
	const out: string[] = [];
	const err: string[] = [];
	const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
	const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
	try {
		const code = await runCli(args);
		return { code, out: out.join('\n'), err: err.join('\n') };
	} finally {
		log.mockRestore();
		error.mockRestore();
		await closeDb();
		for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
		Object.assign(process.env, saved);
		resetEnvForTests();
	}
}

describeEachDialect('labo export subventions', (getDb, dialect) => {
	it('writes the grants file, names the incomplete request, and fails with --strict', { timeout: 120_000 }, async () => {
		await seedDemo(getDb());
		// The command opens the same database the suite made: its URL (PostgreSQL) or its file (SQLite, through DATA_DIR).
		const url = (getDb() as unknown as { __url: string }).__url;
		let env: Record<string, string>;
		if (dialect === 'postgres') env = { DATABASE_URL: url };
		else {
			// Everything written reaches the file itself before it is copied.
			await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(getDb());
			const dir = fs.mkdtempSync(path.join(tmp, 'data-'));
			fs.copyFileSync(url, path.join(dir, 'labo.sqlite'));
			env = { DATA_DIR: dir };
		}
		const out = path.join(tmp, `subventions-${dialect}.csv`);
		const done = await labo(['export', 'subventions', '--lab', 'paca', '--year', '2014', '--out', out], env);
		expect(done.code, done.err).toBe(0);
		const text = fs.readFileSync(out, 'utf8');
		expect(text.split('\r\n')[0]).toBe(
			'nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,idBeneficiaire,rnaBeneficiaire,objet,montant,nature,conditionsVersement,datesPeriodeVersement,idRAE,notificationUE,pourcentageSubvention,dispositifAide'
		);
		expect(text.trim().split('\r\n')).toHaveLength(3);
		expect(done.err).toContain('Restitution aux agents du lycée Claret');
		expect(done.err).toContain('le SIRET ou le numéro RNA du bénéficiaire');

		const strict = await labo(['export', 'subventions', '--lab', 'paca', '--out', out, '--strict'], env);
		expect(strict.code).toBe(1);
		expect(strict.err).toContain('Restitution aux agents du lycée Claret');
		// The file is still written: the complete requests.
		expect(fs.readFileSync(out, 'utf8').trim().split('\r\n')).toHaveLength(3);

		expect((await labo(['export', 'subventions', '--lab', 'nowhere', '--out', out], env)).code).toBe(1);
		expect((await labo(['export', 'subventions', '--lab', 'paca'], env)).code).toBe(2);
		expect((await labo(['export', 'grants', '--lab', 'paca', '--out', out], env)).code).toBe(2);
		expect((await labo(['export', 'subventions', '--lab', 'paca', '--year', '14', '--out', out], env)).code).toBe(2);
	});
});
