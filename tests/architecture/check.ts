/**
 * Applies the ownership map (src/lib/server/architecture.ts) to the repository's sources and
 * returns what crosses a boundary. The test compares the result with the map's baselines.
 */
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { DOMAINS, PUBLIC_ENTRY, ROUTE_DB_ALLOWED, dynamicTables, type Access } from '../../src/lib/server/architecture';
import { resolveImport, scanImports, scanQueries, svelteScript, type TableRef } from './scanner';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER = 'src/lib/server';

export interface TableCrossing {
	domain: string;
	table: string;
	access: Access;
	file: string;
	lines: number[];
}
export interface ImportCrossing {
	from: string;
	module: string;
	name: string;
	file: string;
}
export interface Offence {
	file: string;
	what: string;
}

const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

export function listFiles(dir: string, exts: string[]): string[] {
	const out: string[] = [];
	const walk = (rel: string) => {
		for (const e of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
			const r = `${rel}/${e.name}`;
			if (e.isDirectory()) walk(r);
			else if (exts.some((x) => e.name.endsWith(x)) && !/\.(test|spec)\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(r);
		}
	};
	walk(dir);
	return out.sort();
}

/** Tables of the schema's Database interface, plus those only the migrations create (FTS). */
export function schemaTables(): { schema: string[]; migrations: string[] } {
	const src = read(`${SERVER}/db/schema.ts`);
	const start = src.indexOf('export interface Database');
	const body = src.slice(start, src.indexOf('}', start));
	const schema = [...body.matchAll(/^\s+([a-z_][a-z0-9_]*):/gm)].map((m) => m[1]!);
	const migrations = new Set<string>();
	for (const f of listFiles(`${SERVER}/db/migrations`, ['.ts'])) {
		const s = read(f);
		for (const m of s.matchAll(/createTable\(\s*'([a-z0-9_]+)'/g)) migrations.add(m[1]!);
		for (const m of s.matchAll(/create\s+(?:virtual\s+)?table\s+(?:if\s+not\s+exists\s+)?"?([a-z0-9_]+)/gi)) migrations.add(m[1]!.toLowerCase());
	}
	return { schema, migrations: [...migrations].sort() };
}

/** The domain a file under src/lib/server belongs to ('core' for the files directly in it). */
export function domainOf(file: string): string | null {
	if (!file.startsWith(SERVER + '/')) return null;
	const parts = file.slice(SERVER.length + 1).split('/');
	return parts.length === 1 ? 'core' : parts[0]!;
}

export function ownerIndex(): Map<string, string> {
	const owner = new Map<string, string>();
	for (const [d, spec] of Object.entries(DOMAINS)) for (const t of spec.owns) owner.set(t, d);
	return owner;
}

export interface Report {
	tableCrossings: TableCrossing[];
	/** Queries naming tables, per domain (own and foreign), for the summary. */
	queryCount: number;
	unresolved: Offence[];
	routeDb: Offence[];
	clientServer: Offence[];
	importCrossings: ImportCrossing[];
	unusedDynamic: string[];
}

export function analyse(): Report {
	const { schema, migrations } = schemaTables();
	const known = new Set([...schema, ...migrations]);
	const owner = ownerIndex();
	const domainKind = (d: string) => (DOMAINS as Record<string, { kind: string }>)[d]?.kind;
	const crossings = new Map<string, TableCrossing>();
	const unresolved: Offence[] = [];
	const usedDynamic = new Set<string>();
	let queryCount = 0;

	// a. A domain's queries name only its own tables.
	for (const file of listFiles(SERVER, ['.ts'])) {
		if (file.startsWith(`${SERVER}/db/migrations/`) || file === `${SERVER}/architecture.ts`) continue;
		const domain = domainOf(file)!;
		if (domainKind(domain) === 'seed') continue;
		const scan = scanQueries(read(file), known, file);
		const refs: TableRef[] = [...scan.tables];
		for (const u of scan.unresolved) {
			const decl = dynamicTables.find((d) => d.file === file && d.expr === u.expr);
			if (!decl) {
				unresolved.push({ file: `${file}:${u.line}`, what: u.expr });
				continue;
			}
			usedDynamic.add(`${decl.file} ${decl.expr}`);
			for (const t of decl.tables) refs.push({ table: t, access: 'read', line: u.line, via: 'dynamic' });
		}
		queryCount += refs.length;
		for (const r of refs) {
			if (owner.get(r.table) === domain) continue;
			const key = `${domain} ${r.table} ${r.access} ${file}`;
			const c = crossings.get(key) ?? { domain, table: r.table, access: r.access, file, lines: [] };
			c.lines.push(r.line);
			crossings.set(key, c);
		}
	}

	// b. Routes reach the database through services only.
	const routeDb: Offence[] = [];
	const routeFiles = listFiles('src/routes', ['.ts', '.svelte']);
	for (const file of routeFiles) {
		const src = file.endsWith('.svelte') ? svelteScript(read(file)) : read(file);
		for (const imp of scanImports(src, file)) {
			const target = resolveImport(file, imp.specifier);
			const isDb = target === `${SERVER}/db` || !!target?.startsWith(`${SERVER}/db/`);
			if (isDb)
				for (const n of imp.names) {
					if (n.startsWith('type ')) continue;
					if (target === `${SERVER}/db` && (ROUTE_DB_ALLOWED as readonly string[]).includes(n)) continue;
					routeDb.push({ file, what: `${n} from ${imp.specifier}` });
				}
			if (imp.specifier === 'kysely') for (const n of imp.names) if (!n.startsWith('type ')) routeDb.push({ file, what: `${n} from kysely` });
		}
		const scan = scanQueries(src, known, file);
		if (scan.builderCalls || scan.tables.length)
			routeDb.push({ file, what: `builds queries (${[...new Set(scan.tables.map((t) => t.table))].join(', ') || 'tables unknown'})` });
	}

	// c. Code that runs in the browser never imports server code.
	const clientServer: Offence[] = [];
	const nodeOnly = new Set([
		...builtinModules,
		'kysely',
		'pg',
		'better-sqlite3',
		'nodemailer',
		'sharp',
		'$app/server',
		'$env/dynamic/private',
		'$env/static/private'
	]);
	for (const [dir, strict] of [
		['src/lib/grouping', true],
		['src/lib/shared', false]
	] as const) {
		for (const file of listFiles(dir, ['.ts', '.svelte'])) {
			for (const imp of scanImports(read(file), file)) {
				const target = resolveImport(file, imp.specifier);
				const server = target === SERVER || !!target?.startsWith(SERVER + '/');
				const nodeModule = imp.specifier.startsWith('node:') || nodeOnly.has(imp.specifier) || /\.server(\.ts|\.js)?$/.test(imp.specifier);
				if (server || (strict && nodeModule)) clientServer.push({ file, what: imp.specifier });
			}
		}
	}

	// d. A domain uses another through its public entry (index.ts); anything else is recorded.
	const importCrossings: ImportCrossing[] = [];
	for (const file of listFiles(SERVER, ['.ts'])) {
		if (file.startsWith(`${SERVER}/db/migrations/`) || file === `${SERVER}/architecture.ts`) continue;
		const from = domainOf(file)!;
		if (domainKind(from) === 'seed') continue;
		for (const imp of scanImports(read(file), file)) {
			const target = resolveImport(file, imp.specifier);
			if (!target) continue;
			const to = fs.existsSync(path.join(ROOT, target)) ? domainOf(target + '/index.ts') : domainOf(target + '.ts');
			if (!to || to === from || domainKind(to) !== 'domain') continue;
			if (target === `${SERVER}/${to}` || target === `${SERVER}/${to}/${PUBLIC_ENTRY}`) continue;
			const module = target.slice(SERVER.length + 1);
			for (const name of imp.names) importCrossings.push({ from, module, name, file });
		}
	}

	const unusedDynamic = dynamicTables.filter((d) => !usedDynamic.has(`${d.file} ${d.expr}`)).map((d) => `${d.file} ${d.expr}`);
	return { tableCrossings: [...crossings.values()], queryCount, unresolved, routeDb, clientServer, importCrossings, unusedDynamic };
}
