/**
 * Brings the baselines of src/lib/server/architecture.ts in line with the code after a change
 * that moves files or removes crossings: `npx tsx tests/architecture/update-baseline.ts`.
 * Entries gone from the code are deleted; new ones are added beside their domain's entries,
 * so the diff shows each of them for review (adding a crossing on purpose is a decision, not a
 * side effect: say why in the commit). Comments are kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyse, ROOT } from './check';

const FILE = path.join(ROOT, 'src/lib/server/architecture.ts');
const rel = (f: string) => f.replace(/^src\/lib\/server\//, '');

/** Rewrites the entries of one `export const NAME … = [ … ];` block, keeping its comment lines. */
function rewriteBlock(text: string, name: string, entries: Map<string, string[]>, groupOf: (entry: string) => string): string {
	const start = text.indexOf(`export const ${name}`);
	const open = text.indexOf('[\n', start) + 2;
	const close = text.indexOf('\n];', open);
	const lines = text.slice(open, close).split('\n');
	const wanted = new Set([...entries.values()].flat());
	const kept = lines.filter((l) => !l.trim().startsWith('{') || wanted.has(l.trim().replace(/,$/, '')));
	const present = new Set(kept.map((l) => l.trim().replace(/,$/, '')));
	for (const [group, list] of entries) {
		for (const e of list) {
			if (present.has(e)) continue;
			// After the last entry of the same group, else at the end.
			let at = kept.length;
			for (let i = kept.length - 1; i >= 0; i--)
				if (kept[i]!.trim().startsWith('{') && groupOf(kept[i]!.trim()) === group) {
					at = i + 1;
					break;
				}
			kept.splice(at, 0, `\t${e},`);
			present.add(e);
		}
	}
	const body = kept.map((l) => (l.trim().startsWith('{') && !l.endsWith(',') ? `${l},` : l)).join('\n');
	return text.slice(0, open) + body + text.slice(close);
}

const r = analyse();
let text = fs.readFileSync(FILE, 'utf8');

const crossings = new Map<string, string[]>();
for (const c of r.tableCrossings) {
	const e = `{ domain: '${c.domain}', table: '${c.table}', access: '${c.access}', file: '${rel(c.file)}' }`;
	crossings.set(c.domain, [...(crossings.get(c.domain) ?? []), e].sort());
}
text = rewriteBlock(text, 'knownCrossings', crossings, (e) => /domain: '(\w+)'/.exec(e)?.[1] ?? '');

const imports = new Map<string, Set<string>>();
for (const i of r.importCrossings) {
	const k = `${i.from}\0${i.module}`;
	imports.set(k, (imports.get(k) ?? new Set()).add(i.name));
}
const importEntries = new Map<string, string[]>();
for (const [k, names] of [...imports].sort(([a], [b]) => a.localeCompare(b))) {
	const [from, module] = k.split('\0') as [string, string];
	const e = `{ from: '${from}', module: '${module}', names: [${[...names]
		.sort()
		.map((n) => `'${n}'`)
		.join(', ')}] }`;
	importEntries.set(from, [...(importEntries.get(from) ?? []), e]);
}
text = rewriteBlock(text, 'knownImports', importEntries, (e) => /from: '(\w+)'/.exec(e)?.[1] ?? '');

const routes = new Map<string, string[]>([['', r.routeDb.map((o) => `{ file: '${o.file}', what: '${o.what}' }`)]]);
text = rewriteBlock(text, 'knownRouteDb', routes, () => '');

fs.writeFileSync(FILE, text);
console.log(`baselines: ${r.tableCrossings.length} table crossings, ${imports.size} cross-domain imports, ${r.routeDb.length} routes beyond getDb`);
