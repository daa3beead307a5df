/**
 * Domain boundaries (docs/architecture.md, docs/decisions/012-domain-boundaries.md): the
 * ownership map in src/lib/server/architecture.ts must match the schema and the folders, and the
 * sources must not cross a boundary beyond the map's baselines — which must stay true, so they
 * only shrink. Static analysis only: no database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOMAINS, IDENTITY_TABLES, knownCrossings, knownImports, knownRouteDb } from '../../src/lib/server/architecture';
import { analyse, listFiles, ROOT, schemaTables, type Report } from './check';
import { resolveImport, scanImports, scanQueries, svelteScript, tablesInSql } from './scanner';

const SERVER = 'src/lib/server/';
const rel = (f: string) => f.replace(SERVER, '');

/** Items of `actual` not in `expected` and the reverse, as printable lines. */
function diff(actual: string[], expected: string[]) {
	const a = new Set(actual);
	const e = new Set(expected);
	return { added: [...a].filter((x) => !e.has(x)).sort(), gone: [...e].filter((x) => !a.has(x)).sort() };
}

describe('scanner', () => {
	const known = new Set(['person', 'account', 'event', 'experiment', 'ledger_entry', 'envelope_total']);

	it('finds the tables of builder calls, reads and writes apart, aliases resolved', () => {
		const src = `
			const a = await db.selectFrom('person as p').innerJoin('account as a', 'a.person_id', 'p.id').selectAll().execute();
			await trx.updateTable('event').set({ title: 'x' }).execute();
			await trx.deleteFrom('experiment').where('id', '=', id).execute();
			await trx.insertInto('ledger_entry').values(v).execute();`;
		const s = scanQueries(src, known);
		expect(s.tables.map((t) => `${t.table}:${t.access}:${t.line}`)).toEqual([
			'person:read:2',
			'account:read:2',
			'event:write:3',
			'experiment:write:4',
			'ledger_entry:write:5'
		]);
		expect(s.unresolved).toEqual([]);
	});

	it('does not take a CTE, an alias or a subquery for a table', () => {
		const src = `
			const used = db.selectFrom('account').select('id').as('u');
			await db.with('person', (q) => q.selectFrom('event').selectAll()).selectFrom('person').leftJoin(used, 'u.id', 'person.id').execute();
			await db.selectFrom('experiment as p').execute();`;
		const s = scanQueries(src, known);
		expect(s.ctes).toEqual(['person']);
		// 'person' here is the CTE; the alias 'p' of experiment is not the table person.
		expect(s.tables.map((t) => t.table).sort()).toEqual(['account', 'event', 'experiment']);
	});

	it('resolves a table chosen at run time from the file, and reports one it cannot', () => {
		const src = `
			const TABLE = { knowledge: 'nothing', event: 'event', experiment: 'experiment' } as const;
			const table = type === 'event' ? 'event' : null;
			await db.selectFrom(TABLE[type]).execute();
			await db.selectFrom(table).execute();
			await db.selectFrom(flag ? 'person' : 'account').execute();
			await db.selectFrom(item.source_type).execute();`;
		const s = scanQueries(src, known);
		expect(s.tables.map((t) => `${t.table}:${t.line}`)).toEqual(['event:4', 'experiment:4', 'event:5', 'person:6', 'account:6']);
		expect(s.unresolved).toEqual([{ expr: 'item.source_type', line: 7 }]);
	});

	it('reads tables in raw sql templates, known names only, writes apart', () => {
		const src =
			'await sql`insert into envelope_total (a) select a from ledger_entry l join person p on 1 = ${x} where extract(epoch from created_at) > 0`.execute(db);';
		const s = scanQueries(src, known);
		expect(s.tables.map((t) => `${t.table}:${t.access}:${t.via}`)).toEqual(['envelope_total:write:sql', 'ledger_entry:read:sql', 'person:read:sql']);
		expect(tablesInSql('delete from event where 1', known)).toEqual([{ table: 'event', access: 'write' }]);
	});

	it('lists imports with their names, type-only marked, and resolves paths', () => {
		const src = `import { a, type B } from '../fund/fund.service';\nimport type { C } from '$lib/server/db';\nexport { d } from './x';\nconst m = await import('node:fs');`;
		expect(scanImports(src)).toEqual([
			{ specifier: '../fund/fund.service', names: ['a', 'type B'], line: 1 },
			{ specifier: '$lib/server/db', names: ['type C'], line: 2 },
			{ specifier: './x', names: ['d'], line: 3 },
			{ specifier: 'node:fs', names: ['*'], line: 4 }
		]);
		expect(resolveImport('src/lib/server/specs/specs.service.ts', '../fund/ledger')).toBe('src/lib/server/fund/ledger');
		expect(resolveImport('src/routes/a/+page.server.ts', '$lib/server/db/index')).toBe('src/lib/server/db');
		expect(resolveImport('src/lib/x.ts', 'kysely')).toBeNull();
		expect(svelteScript('<script lang="ts">import { x } from "y";</script><p>{x}</p>')).toContain('import { x }');
	});
});

describe('ownership map', () => {
	it('gives every table exactly one owner, and owns only existing tables', () => {
		const { schema, migrations } = schemaTables();
		const tables = new Set([...schema, ...migrations]);
		const owners = new Map<string, string[]>();
		for (const [d, spec] of Object.entries(DOMAINS)) for (const t of spec.owns) owners.set(t, [...(owners.get(t) ?? []), d]);
		expect([...tables].filter((t) => !owners.has(t)).sort(), 'tables without an owner').toEqual([]);
		expect(
			[...owners].filter(([, ds]) => ds.length > 1).map(([t, ds]) => `${t}: ${ds.join(', ')}`),
			'tables with two owners'
		).toEqual([]);
		expect([...owners.keys()].filter((t) => !tables.has(t)).sort(), 'owned tables that do not exist').toEqual([]);
		for (const t of IDENTITY_TABLES) expect(tables.has(t)).toBe(true);
	});

	it('names every folder of src/lib/server, and only those', () => {
		const folders = fs
			.readdirSync(path.join(ROOT, SERVER), { withFileTypes: true })
			.filter((e) => e.isDirectory())
			.map((e) => e.name);
		expect(
			Object.keys(DOMAINS)
				.filter((d) => d !== 'core')
				.sort()
		).toEqual(folders.sort());
	});

	it('is described in docs/architecture.md: every domain and table appears there', () => {
		const doc = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
		const missing: string[] = [];
		for (const [d, spec] of Object.entries(DOMAINS)) {
			if (!new RegExp('`' + d + '`').test(doc)) missing.push(`domain ${d}`);
			for (const t of spec.owns) if (!new RegExp('`' + t + '`').test(doc)) missing.push(`table ${t}`);
		}
		expect(missing, 'write them in docs/architecture.md (in backquotes)').toEqual([]);
	});

	it('names in docs/architecture.md only functions its domains export', () => {
		const doc = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
		const rows = [...doc.matchAll(/^\| `([a-z]+)` \| (?:domain|platform|seed) \|[^|]*\|([^|]*)\|$/gm)];
		expect(rows.map((m) => m[1]).sort(), 'the map table of docs/architecture.md has one row per domain').toEqual(Object.keys(DOMAINS).sort());
		const missing: string[] = [];
		for (const [, domain, cell] of rows) {
			const dir = path.join(ROOT, SERVER, domain === 'core' ? '' : domain!);
			// A domain's own files and its sub-folders (journal/comments/, journal/wordpress/); the
			// loose files of src/lib/server ("core") only.
			const files =
				domain === 'core'
					? fs
							.readdirSync(dir)
							.filter((f) => f.endsWith('.ts'))
							.map((f) => path.join(dir, f))
					: listFiles(path.relative(ROOT, dir), ['.ts']).map((f) => path.join(ROOT, f));
			const exported = new Set<string>();
			for (const f of files.filter((f) => !f.endsWith('.test.ts')))
				for (const m of fs.readFileSync(f, 'utf8').matchAll(/^export (?:async )?(?:function\*?|const|let|class|interface|type) ([A-Za-z_]\w*)/gm))
					exported.add(m[1]!);
			const names = cell!
				.replace(/\([^)]*\)/g, '')
				.split(/[,;]/)
				.map((x) => x.trim())
				.filter(Boolean);
			for (const n of names) if (!exported.has(n)) missing.push(`${domain}: ${n}`);
		}
		expect(missing, 'functions named in docs/architecture.md that the domain does not export').toEqual([]);
	});
});

describe('boundaries', () => {
	let r: Report;
	beforeAll(() => {
		r = analyse();
		const identity = new Set<string>(IDENTITY_TABLES);
		const queries = (f: (c: Report['tableCrossings'][number]) => boolean) => r.tableCrossings.filter(f).reduce((n, c) => n + c.lines.length, 0);
		const edges = new Set(r.importCrossings.map((i) => `${i.from} ${i.module}`)).size;
		const names = new Set(r.importCrossings.map((i) => `${i.from} ${i.module} ${i.name}`)).size;
		console.log(
			`architecture: ${queries(() => true)} foreign-table queries in ${r.tableCrossings.length} baseline entries ` +
				`(business ${queries((c) => !identity.has(c.table) && c.access === 'read')} reads / ${queries((c) => !identity.has(c.table) && c.access === 'write')} writes, ` +
				`identity ${queries((c) => identity.has(c.table) && c.access === 'read')} reads / ${queries((c) => identity.has(c.table) && c.access === 'write')} writes); ` +
				`routes beyond getDb ${r.routeDb.length}; browser code importing server code ${r.clientServer.length}; ` +
				`cross-domain imports ${edges} modules / ${names} names; unresolved tables ${r.unresolved.length}`
		);
	});

	it('a. domains query only their own tables, beyond the baseline', () => {
		const key = (c: { domain: string; table: string; access: string; file: string }) =>
			`{ domain: '${c.domain}', table: '${c.table}', access: '${c.access}', file: '${rel(c.file)}' },`;
		const d = diff(r.tableCrossings.map(key), knownCrossings.map(key));
		const lines = new Map(r.tableCrossings.map((c) => [key(c), `${c.file}:${c.lines.join(',')}`]));
		expect(
			d.added.map((k) => `${k} // ${lines.get(k)}`),
			"new queries naming another domain's table: call the owner's function instead (or, if the map is wrong, fix DOMAINS)"
		).toEqual([]);
		expect(d.gone, 'crossings gone from the code: delete these entries from knownCrossings').toEqual([]);
	});

	it('a. every table chosen at run time is resolved or declared', () => {
		expect(r.unresolved, 'declare the tables these calls may name in dynamicTables').toEqual([]);
		expect(r.unusedDynamic, 'dynamicTables entries that match no call any more').toEqual([]);
	});

	it('b. routes reach the database only through services', () => {
		const key = (o: { file: string; what: string }) => `${o.file} — ${o.what}`;
		const d = diff(r.routeDb.map(key), knownRouteDb.map(key));
		expect(d.added, 'a route may import only getDb from $lib/server/db and never build queries: move this into a service').toEqual([]);
		expect(d.gone, 'gone from the code: delete these entries from knownRouteDb').toEqual([]);
	});

	it('c. grouping and shared code never import server code', () => {
		expect(r.clientServer.map((o) => `${o.file} imports ${o.what}`)).toEqual([]);
	});

	it('d. domains import each other only through known names (or a public index.ts)', () => {
		const key = (from: string, module: string, name: string) => `${from} → ${module} ${name}`;
		const actual = r.importCrossings.map((i) => key(i.from, i.module, i.name));
		const expected = knownImports.flatMap((k) => k.names.map((n) => key(k.from, k.module, n)));
		const d = diff(actual, expected);
		const where = new Map(r.importCrossings.map((i) => [key(i.from, i.module, i.name), i.file]));
		expect(
			d.added.map((k) => `${k} (${where.get(k)})`),
			"new imports of another domain's internals: use its index.ts, or add the name to knownImports on purpose"
		).toEqual([]);
		expect(d.gone, 'no longer imported: delete these names from knownImports').toEqual([]);
	});
});
