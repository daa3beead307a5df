import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { closeDb, createDb } from '../../src/lib/server/db';
import { resetEnvForTests } from '../../src/lib/server/env';
import { runCli } from '../../src/cli/main';
import { freshDb, itOnPostgres } from '../setup/db';
import { pgToolInvocation } from '../../src/cli/pg-env';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'labo-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The `labo` command as a separate process: what a shell sees (exit code, stdout, stderr). */
function laboProcess(args: string[], env: Record<string, string> = {}) {
	const r = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/cli/index.ts', ...args], {
		encoding: 'utf8',
		env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', ...env },
		timeout: 60_000
	});
	return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * The same dispatcher in this process, with its own environment and its output captured: the
 * commands' behaviour without a process start each (a few seconds apiece). The process itself
 * (exit codes, one line on stderr) is checked through `laboProcess`.
 */
async function labo(args: string[], env: Record<string, string> = {}) {
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

describe('pg_dump / pg_restore invocation', () => {
	it('passes the connection (password included) through the environment, never in argv', () => {
		const url = 'postgres://labo:s3cr%40t-pw@db.region.example:6543/labo_prod?sslmode=require';
		const dump = pgToolInvocation('pg_dump', ['--format=custom', '--file=/tmp/x.dump'], url, { PATH: '/usr/bin', PGPASSWORD: 'stale', PGHOST: 'elsewhere' });
		expect(dump.command).toBe('pg_dump');
		expect(dump.args.join(' ')).not.toContain('s3cr');
		expect(dump.args.join(' ')).not.toContain('postgres://');
		expect(dump.env).toMatchObject({
			PATH: '/usr/bin',
			PGHOST: 'db.region.example',
			PGPORT: '6543',
			PGUSER: 'labo',
			PGPASSWORD: 's3cr@t-pw',
			PGDATABASE: 'labo_prod',
			PGSSLMODE: 'require'
		});
		const restore = pgToolInvocation('pg_restore', ['--clean', '--dbname=labo_prod', 'in.dump'], 'postgres://u@localhost/d', { PGPASSWORD: 'stale' });
		// A stray PGPASSWORD of the shell is not sent to another server.
		expect(restore.env.PGPASSWORD).toBeUndefined();
		expect(restore.env).toMatchObject({ PGHOST: 'localhost', PGUSER: 'u', PGDATABASE: 'd' });
	});
});

describe('labo command', { timeout: 180_000 }, () => {
	it('lists its commands and explains each one', async () => {
		const all = laboProcess(['--help']);
		expect(all.code).toBe(0);
		for (const c of ['migrate', 'seed-demo', 'create-user', 'create-lab', 'appoint-coordinator', 'disable-user', 'enable-user', 'backup', 'restore'])
			expect(all.out).toContain(c);
		const one = await labo(['backup', '--help']);
		expect(one.code).toBe(0);
		expect(one.out).toContain('--out FICHIER');
	});

	it('refuses an unknown command or option with exit code 2', async () => {
		expect(laboProcess(['explode']).code).toBe(2);
		const bad = await labo(['migrate', '--frobnicate']);
		expect(bad.code).toBe(2);
		expect(bad.err).toMatch(/frobnicate/);
		const missing = await labo(['create-lab', '--slug', 'x'], { DATA_DIR: path.join(tmp, 'missing') });
		expect(missing.code).toBe(2);
		expect(missing.err).toContain('--name est obligatoire / --name is required');
	});

	it('migrates, creates a lab and a member, and says clearly what is wrong', async () => {
		const env = { DATA_DIR: path.join(tmp, 'a') };
		expect((await labo(['migrate'], env)).out).toContain('001_foundation');
		expect((await labo(['migrate'], env)).out).toContain('à jour / database up to date');
		expect((await labo(['create-lab', '--slug', 'bzh', '--name', 'Labo Bretagne', '--region', 'Bretagne'], env)).code).toBe(0);
		const dup = await labo(['create-lab', '--slug', 'bzh', '--name', 'X', '--region', 'Y'], env);
		expect(dup.code).toBe(1);
		expect(dup.err).toContain('Cet identifiant de labo est déjà pris. / This lab identifier is already taken.');
		const user = await labo(['create-user', '--email', 'Ana@Example.test', '--name', 'Ana', '--lab', 'bzh', '--role', 'coordinator'], env);
		expect(user.code).toBe(0);
		expect(user.out).toMatch(/Mot de passe \/ password: \S{12,}/);
		expect((await labo(['create-user', '--email', 'x@example.test', '--name', 'X', '--lab', 'bzh', '--role', 'king'], env)).code).toBe(2);
		expect((await labo(['create-user', '--email', 'ana@example.test', '--name', 'Ana'], env)).err).toContain('Un compte existe déjà');

		const db = createDb({ url: path.join(tmp, 'a', 'labo.sqlite') });
		const row = await db
			.selectFrom('membership')
			.innerJoin('account', 'account.id', 'membership.account_id')
			.innerJoin('lab', 'lab.id', 'membership.lab_id')
			.select(['account.email', 'lab.slug', 'membership.role'])
			.executeTakeFirstOrThrow();
		await db.destroy();
		expect(row).toEqual({ email: 'ana@example.test', slug: 'bzh', role: 'coordinator' });
	});

	it('sets up a first installation on an empty database without the demo, and disables and enables an account', async () => {
		const env = { DATA_DIR: path.join(tmp, 'first'), ORIGIN: 'https://labo.example.fr' };
		const lab = await labo(['create-lab', '--slug', 'bzh', '--name', 'Labo Bretagne', '--region', 'Bretagne'], env);
		expect(lab.code, lab.err).toBe(0);
		expect(lab.out).toContain('https://labo.example.fr/l/bzh');
		expect(lab.out).toContain('appoint-coordinator --lab bzh');
		const admin = await labo(['create-user', '--email', 'admin@example.test', '--name', 'Ada Admin', '--admin'], env);
		expect(admin.code, admin.err).toBe(0);
		expect(admin.out).toContain('installation admin');
		expect(admin.out).toContain('log in at https://labo.example.fr/login');
		expect(admin.out).toContain('open "Installation" (https://labo.example.fr/admin)');

		const appointed = await labo(['appoint-coordinator', '--lab', 'bzh', '--email', 'ADMIN@example.test'], env);
		expect(appointed.code, appointed.err).toBe(0);
		expect(appointed.out).toContain('Ada Admin est coordinateur·rice de / is coordinator of bzh');
		const noName = await labo(['appoint-coordinator', '--lab', 'bzh', '--email', 'nina@example.test'], env);
		expect(noName.code).toBe(1);
		expect(noName.err).toContain("This address has no account yet: give the person's name to invite them.");
		const invited = await labo(['appoint-coordinator', '--lab', 'bzh', '--email', 'nina@example.test', '--name', 'Nina'], env);
		expect(invited.code, invited.err).toBe(0);
		expect(invited.out).toMatch(/https:\/\/labo\.example\.fr\/invitation\/[\w-]{20,}/);
		expect((await labo(['appoint-coordinator', '--lab', 'nope', '--email', 'nina@example.test'], env)).err).toContain('unknown lab: nope');

		const disabled = await labo(['disable-user', '--email', 'admin@example.test'], env);
		expect(disabled.code, disabled.err).toBe(0);
		expect(disabled.out).toContain('account disabled: admin@example.test');
		const db = createDb({ url: path.join(tmp, 'first', 'labo.sqlite') });
		const state = async () =>
			(await db.selectFrom('account').where('email', '=', 'admin@example.test').select('disabled_at').executeTakeFirstOrThrow()).disabled_at;
		try {
			expect(await state()).not.toBeNull();
			expect((await labo(['enable-user', '--email', 'admin@example.test'], env)).out).toContain('account enabled: admin@example.test');
			expect(await state()).toBeNull();
			const ghost = await labo(['disable-user', '--email', 'ghost@example.test'], env);
			expect(ghost.code).toBe(1);
			expect(ghost.err).toContain('No account has this address.');
			// Nothing of the demo was loaded along the way.
			expect((await db.selectFrom('lab').select('slug').execute()).map((l) => l.slug)).toEqual(['bzh']);
			const roles = await db
				.selectFrom('membership')
				.innerJoin('account', 'account.id', 'membership.account_id')
				.select(['account.email', 'membership.role'])
				.execute();
			expect(roles).toEqual([{ email: 'admin@example.test', role: 'coordinator' }]);
		} finally {
			await db.destroy();
		}
	}, 180_000);

	it('loads the demo lab once', async () => {
		const env = { DATA_DIR: path.join(tmp, 'demo') };
		expect((await labo(['seed-demo'], env)).out).toContain('demo lab loaded');
		const again = await labo(['seed-demo'], env);
		expect(again.out).toContain('already exists');
		expect(again.out).toContain('coordination@labo-paca.example');
	});

	it('backs up SQLite online and restores it', async () => {
		const env = { DATA_DIR: path.join(tmp, 'b') };
		await labo(['create-lab', '--slug', 'before', '--name', 'Avant', '--region', 'R'], env);
		const file = path.join(tmp, 'b-backup.sqlite');
		const backup = await labo(['backup', '--out', file], env);
		expect(backup.code, backup.err).toBe(0);
		expect((await labo(['backup', '--out', file], env)).err).toContain('existe déjà');
		await labo(['create-lab', '--slug', 'after', '--name', 'Après', '--region', 'R'], env);
		expect((await labo(['restore', '--from', file], env)).code).toBe(2);
		const restore = await labo(['restore', '--from', file, '--yes'], env);
		expect(restore.code, restore.err).toBe(0);
		const db = createDb({ url: path.join(tmp, 'b', 'labo.sqlite') });
		const slugs = (await db.selectFrom('lab').select('slug').execute()).map((l) => l.slug);
		await db.destroy();
		expect(slugs).toEqual(['before']);

		fs.writeFileSync(path.join(tmp, 'junk.sqlite'), 'not a database');
		const junk = await labo(['restore', '--from', path.join(tmp, 'junk.sqlite'), '--yes'], env);
		expect(junk.code).toBe(1);
		expect(junk.err).toContain('not a valid Labo backup');
	});

	itOnPostgres('backs up PostgreSQL with pg_dump and restores it with pg_restore', async () => {
		const { db, url, drop } = await freshDb('postgres', 2);
		try {
			const env = { DATABASE_URL: url };
			await labo(['create-lab', '--slug', 'pg-before', '--name', 'Avant', '--region', 'R'], env);
			const file = path.join(tmp, 'pg.dump');
			const backup = await labo(['backup', '--out', file], env);
			expect(backup.code, backup.err).toBe(0);
			await labo(['create-lab', '--slug', 'pg-after', '--name', 'Après', '--region', 'R'], env);
			const restore = await labo(['restore', '--from', file, '--yes'], env);
			expect(restore.code, restore.err).toBe(0);
			const slugs = (await db.selectFrom('lab').select('slug').execute()).map((l) => l.slug);
			expect(slugs).toEqual(['pg-before']);
		} finally {
			await drop();
		}
	});

	it('solves an MDGPLIB instance, verifies it, writes the solution, and locates a malformed line', async () => {
		const lines = ['6 2 ss 3 3 3 3'];
		for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) lines.push(`${i} ${j} ${((i + 1) * (j + 2)) % 7}`);
		const file = path.join(tmp, 'tiny.txt');
		fs.writeFileSync(file, lines.join('\n'));
		const out = path.join(tmp, 'tiny.sol');
		const r = await labo(['groups', 'solve', file, '--seconds', '0.2', '--seed', '3', '--out', out]);
		expect(r.code, r.err).toBe(0);
		expect(r.out).toMatch(/objective: \d+\.\d{3}/);
		expect(r.out).toContain('verified: yes');
		expect(fs.readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(6);
		fs.writeFileSync(file, '6 2 ss 3 3 3 3\n0 1 2\n0 one 3\n');
		const bad = await labo(['groups', 'solve', file]);
		expect(bad.code).toBe(1);
		expect(bad.err).toContain('tiny.txt:3: expected "i j distance"');
	});

	it('stops with one clear line and a non-zero code when the database cannot be reached', () => {
		const env = { DATABASE_URL: 'postgres://labo:secret@127.0.0.1:1/labo' };
		for (const r of [laboProcess(['migrate'], env), startApp(env)]) {
			expect(r.code).toBe(1);
			const lines = r.err.trim().split('\n');
			expect(lines).toHaveLength(1);
			expect(lines[0]).toMatch(/cannot open the database \(postgres:\/\/labo:\*\*\*@127\.0\.0\.1:1\/labo\): .*ECONNREFUSED/);
			expect(r.err).not.toContain('secret');
		}
		const wrong = startApp({ DATABASE_URL: 'mysql://x' });
		expect(wrong.code).toBe(1);
		expect(wrong.err.trim()).toMatch(/^Erreur \/ error: Configuration invalide .*DATABASE_URL must start with postgres/);
	});
});

function startApp(env: Record<string, string>) {
	const r = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/cli/start.ts'], {
		encoding: 'utf8',
		env: { ...process.env, ...env },
		timeout: 60_000
	});
	return { code: r.status, out: r.stdout, err: r.stderr };
}
