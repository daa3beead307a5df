/**
 * Static scanner behind tests/architecture/boundaries.test.ts: finds, in one TypeScript source,
 * the tables its Kysely queries (and raw `sql` templates) name, and what it imports. Pure
 * functions over source text (the TypeScript parser, no type checking), so they are unit-tested
 * on inline strings.
 */
import ts from 'typescript';

export type Access = 'read' | 'write';

export interface TableRef {
	table: string;
	access: Access;
	line: number;
	/** builder: selectFrom('x') and friends; sql: a raw sql`…` template; dynamic: a table chosen at run time. */
	via: 'builder' | 'sql' | 'dynamic';
}

/** A builder call whose table the scanner could not work out (e.g. `selectFrom(item.source_type)`). */
export interface UnresolvedRef {
	expr: string;
	line: number;
}

export interface QueryScan {
	tables: TableRef[];
	unresolved: UnresolvedRef[];
	/** Names bound by `with('name', …)`: common table expressions, not tables. */
	ctes: string[];
	/** Kysely builder calls (any table), for the rule that routes never build queries. */
	builderCalls: number;
}

export interface ImportRef {
	specifier: string;
	/** Imported names; `type X` for a type-only one, `*` for a namespace, `default` for a default. */
	names: string[];
	line: number;
}

const READS = new Set([
	'selectFrom',
	'innerJoin',
	'leftJoin',
	'rightJoin',
	'fullJoin',
	'crossJoin',
	'innerJoinLateral',
	'leftJoinLateral',
	'crossJoinLateral',
	'using'
]);
const WRITES = new Set(['insertInto', 'replaceInto', 'updateTable', 'deleteFrom', 'mergeInto']);
const CTES = new Set(['with', 'withRecursive', 'withMaterialized', 'withNotMaterialized']);

const lineOf = (sf: ts.SourceFile, node: ts.Node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;

/** 'person as p' → 'person'; 'person' → 'person'; 'name(a, b)' (a CTE's columns) → 'name'. */
export function tableName(text: string): string {
	return text
		.trim()
		.split(/\s+as\s+|\s|\(/i)[0]!
		.trim();
}

function stringsIn(node: ts.Node): string[] {
	const out: string[] = [];
	const walk = (n: ts.Node) => {
		if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) out.push(n.text);
		n.forEachChild(walk);
	};
	walk(node);
	return out;
}

function containsBuilderCall(node: ts.Node): boolean {
	let found = false;
	const walk = (n: ts.Node) => {
		if (found) return;
		if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
			const m = n.expression.name.text;
			if (READS.has(m) || WRITES.has(m) || m === 'as') found = true;
		}
		n.forEachChild(walk);
	};
	walk(node);
	return found;
}

/** Initialisers of the file's variables, by name (any scope: names are short-lived and rarely clash). */
function declarations(sf: ts.SourceFile): Map<string, ts.Expression> {
	const out = new Map<string, ts.Expression>();
	const walk = (n: ts.Node) => {
		if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) out.set(n.name.text, n.initializer);
		n.forEachChild(walk);
	};
	walk(sf);
	return out;
}

/** The sql`…` template's text, interpolations replaced by a placeholder. */
function templateText(t: ts.TemplateLiteral): string {
	if (ts.isNoSubstitutionTemplateLiteral(t)) return t.text;
	return t.head.text + t.templateSpans.map((s) => ' ? ' + s.literal.text).join('');
}

const SQL_WRITE = /\b(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from)\s+"?([a-z_][a-z0-9_]*)"?/gi;
const SQL_READ = /\b(?:from|join)\s+"?([a-z_][a-z0-9_]*)"?/gi;

/** Tables named in raw SQL text, limited to `known` ones (so `extract(epoch from x)` is not a table). */
export function tablesInSql(text: string, known: ReadonlySet<string>): { table: string; access: Access }[] {
	const out: { table: string; access: Access }[] = [];
	const writeAt = new Set<number>();
	for (const m of text.matchAll(SQL_WRITE)) {
		const t = m[1]!.toLowerCase();
		if (!known.has(t)) continue;
		out.push({ table: t, access: 'write' });
		writeAt.add(m.index! + m[0].length);
	}
	for (const m of text.matchAll(SQL_READ)) {
		const t = m[1]!.toLowerCase();
		// "delete from x" is a write already counted, not also a read.
		if (!known.has(t) || writeAt.has(m.index! + m[0].length)) continue;
		out.push({ table: t, access: 'read' });
	}
	return out;
}

/**
 * Tables a source's queries name. `known` is the set of table names (the scanner only reports
 * those, so an alias or a CTE never passes for a table); a string that is not a known table nor a
 * CTE is ignored too (a subquery's alias, `leftJoin(sub.as('u'), …)`).
 */
export function scanQueries(source: string, known: ReadonlySet<string>, fileName = 'x.ts'): QueryScan {
	const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
	const decls = declarations(sf);
	const tables: (TableRef & { pos: number })[] = [];
	const unresolved: UnresolvedRef[] = [];
	const ctes = new Set<string>();
	let builderCalls = 0;

	const candidates = (arg: ts.Expression): string[] | null => {
		// A literal, a conditional of literals, an array of them: the strings in it.
		let e: ts.Expression = arg;
		while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
		if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return []; // a callback builds its own query
		if (ts.isCallExpression(e) || containsBuilderCall(e)) return []; // a subquery: its own calls are scanned
		const direct = stringsIn(e).map(tableName);
		if (direct.length && !ts.isElementAccessExpression(e)) return direct;
		// An identifier, or TABLE[type]: look at the variable's initialiser in this file.
		const root = ts.isElementAccessExpression(e) ? e.expression : e;
		if (ts.isIdentifier(root)) {
			const init = decls.get(root.text);
			if (init) {
				if (containsBuilderCall(init)) return []; // a subquery kept in a variable
				const found = stringsIn(init)
					.map(tableName)
					.filter((s) => known.has(s));
				if (found.length) return found;
			}
		}
		return null;
	};

	const visit = (n: ts.Node) => {
		if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
			const m = n.expression.name.text;
			const arg = n.arguments[0];
			if (CTES.has(m) && arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) ctes.add(tableName(arg.text));
			else if ((READS.has(m) || WRITES.has(m)) && arg) {
				builderCalls++;
				const access: Access = WRITES.has(m) ? 'write' : 'read';
				const isLiteral = ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg) || ts.isArrayLiteralExpression(arg);
				const names = candidates(arg);
				if (names === null) unresolved.push({ expr: arg.getText(sf), line: lineOf(sf, n) });
				else
					for (const t of new Set(names))
						if (known.has(t)) tables.push({ table: t, access, line: lineOf(sf, n), via: isLiteral ? 'builder' : 'dynamic', pos: arg.getStart(sf) });
			}
		}
		if (ts.isTaggedTemplateExpression(n)) {
			const tag = n.tag;
			const isSql = (ts.isIdentifier(tag) && tag.text === 'sql') || (ts.isPropertyAccessExpression(tag) && tag.getText(sf) === 'sql.raw');
			if (isSql) for (const r of tablesInSql(templateText(n.template), known)) tables.push({ ...r, line: lineOf(sf, n), via: 'sql', pos: n.getStart(sf) });
		}
		// sql.table('x') and sql.raw('… from x'): a table named outside the builder.
		if (
			ts.isCallExpression(n) &&
			ts.isPropertyAccessExpression(n.expression) &&
			ts.isIdentifier(n.expression.expression) &&
			n.expression.expression.text === 'sql'
		) {
			const m = n.expression.name.text;
			const arg = n.arguments[0];
			if (arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg))) {
				if (m === 'table' && known.has(tableName(arg.text)))
					tables.push({ table: tableName(arg.text), access: 'read', line: lineOf(sf, n), via: 'sql', pos: arg.getStart(sf) });
				if (m === 'raw') for (const r of tablesInSql(arg.text, known)) tables.push({ ...r, line: lineOf(sf, n), via: 'sql', pos: arg.getStart(sf) });
			}
		}
		n.forEachChild(visit);
	};
	visit(sf);
	// A CTE that shadows a table name is the CTE inside this file.
	const ordered = tables.sort((a, b) => a.pos - b.pos).map(({ pos: _pos, ...t }) => t);
	return { tables: ordered.filter((t) => !ctes.has(t.table) || t.via === 'sql'), unresolved, ctes: [...ctes], builderCalls };
}

/** Static imports and re-exports of a source (dynamic `import('x')` included, names unknown: `*`). */
export function scanImports(source: string, fileName = 'x.ts'): ImportRef[] {
	const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
	const out: ImportRef[] = [];
	const visit = (n: ts.Node) => {
		if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
			const names: string[] = [];
			const c = n.importClause;
			const allType = !!c?.isTypeOnly;
			if (c?.name) names.push(allType ? 'type default' : 'default');
			const b = c?.namedBindings;
			if (b && ts.isNamespaceImport(b)) names.push('*');
			if (b && ts.isNamedImports(b)) for (const el of b.elements) names.push((allType || el.isTypeOnly ? 'type ' : '') + (el.propertyName ?? el.name).text);
			out.push({ specifier: n.moduleSpecifier.text, names, line: lineOf(sf, n) });
		} else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
			const names: string[] = [];
			const c = n.exportClause;
			if (!c || ts.isNamespaceExport(c)) names.push('*');
			else for (const el of c.elements) names.push((n.isTypeOnly || el.isTypeOnly ? 'type ' : '') + (el.propertyName ?? el.name).text);
			out.push({ specifier: n.moduleSpecifier.text, names, line: lineOf(sf, n) });
		} else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
			const a = n.arguments[0];
			if (a && ts.isStringLiteral(a)) out.push({ specifier: a.text, names: ['*'], line: lineOf(sf, n) });
		}
		n.forEachChild(visit);
	};
	visit(sf);
	return out;
}

/** The TypeScript of a .svelte component: its <script> blocks, joined (line numbers kept roughly). */
export function svelteScript(source: string): string {
	const blocks = [...source.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
	return blocks.join('\n');
}

/**
 * Resolves an import to a path under src/ ('lib/server/fund/fund.service'), without extension
 * or '/index'; null for a package or node: module.
 */
export function resolveImport(fromFile: string, specifier: string): string | null {
	let p: string;
	if (specifier.startsWith('$lib/')) p = 'src/lib/' + specifier.slice(5);
	else if (specifier === '$lib') p = 'src/lib';
	else if (specifier.startsWith('.')) {
		const dir = fromFile.split('/').slice(0, -1);
		for (const part of specifier.split('/')) {
			if (part === '.' || part === '') continue;
			if (part === '..') dir.pop();
			else dir.push(part);
		}
		p = dir.join('/');
	} else return null;
	return p.replace(/\.(ts|js|svelte)$/, '').replace(/\/index$/, '');
}
