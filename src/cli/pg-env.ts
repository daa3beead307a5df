/**
 * How pg_dump and pg_restore are started: the connection goes through libpq's environment
 * (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE…), never through argv, so the
 * password does not show in `ps` or in a process listing of the machine.
 */
export interface PgInvocation {
	command: string;
	args: string[];
	env: NodeJS.ProcessEnv;
}

/** libpq environment names for the URL query parameters that have one. */
const PARAM_ENV: Record<string, string> = {
	host: 'PGHOST',
	port: 'PGPORT',
	user: 'PGUSER',
	password: 'PGPASSWORD',
	dbname: 'PGDATABASE',
	sslmode: 'PGSSLMODE',
	sslcert: 'PGSSLCERT',
	sslkey: 'PGSSLKEY',
	sslrootcert: 'PGSSLROOTCERT',
	application_name: 'PGAPPNAME',
	connect_timeout: 'PGCONNECT_TIMEOUT',
	options: 'PGOPTIONS'
};

/** The libpq environment for a postgres:// URL (the caller's own PG* values are replaced). */
export function pgEnvFromUrl(url: string): Record<string, string> {
	const u = new URL(url);
	const out: Record<string, string> = {};
	if (u.hostname) out.PGHOST = decodeURIComponent(u.hostname.replace(/^\[(.*)\]$/, '$1'));
	if (u.port) out.PGPORT = u.port;
	if (u.username) out.PGUSER = decodeURIComponent(u.username);
	if (u.password) out.PGPASSWORD = decodeURIComponent(u.password);
	const dbName = decodeURIComponent(u.pathname.replace(/^\//, ''));
	if (dbName) out.PGDATABASE = dbName;
	for (const [k, v] of u.searchParams) {
		const name = PARAM_ENV[k];
		if (name) out[name] = v;
	}
	return out;
}

/** pg_dump / pg_restore with `args` against the database of `url`, its connection in `env` only. */
export function pgToolInvocation(command: 'pg_dump' | 'pg_restore', args: string[], url: string, baseEnv: NodeJS.ProcessEnv = process.env): PgInvocation {
	const env: NodeJS.ProcessEnv = {};
	// Stray PG* values of the shell must not redirect the tool to another database.
	for (const [k, v] of Object.entries(baseEnv)) if (!/^PG[A-Z_]+$/.test(k)) env[k] = v;
	Object.assign(env, pgEnvFromUrl(url));
	return { command, args, env };
}
