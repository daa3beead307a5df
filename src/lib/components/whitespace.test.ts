import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'svelte/compiler';

function svelteFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) return svelteFiles(p);
		return e.name.endsWith('.svelte') ? [p] : [];
	});
}

interface Node {
	type: string;
	start: number;
	data?: string;
	nodes?: Node[];
	[k: string]: unknown;
}

/**
 * Svelte drops the whitespace at the start and end of a block ({#if}, {#each}, {:else}…) and of
 * an element: `{name}{#if x} · {x}{/if}` renders "name· x", `a<span> b</span>` renders "ab".
 * A space written on the same line as the tag is meant to be seen, so it must sit outside the
 * block or element (or be written {' '}).
 */
function lostSpaces(file: string): string[] {
	const src = fs.readFileSync(file, 'utf8');
	const out: string[] = [];
	const line = (at: number) => src.slice(0, at).split('\n').length;
	const check = (fragment: { nodes: Node[] } | null | undefined) => {
		const nodes = fragment?.nodes ?? [];
		if (!nodes.length) return;
		const first = nodes[0]!;
		const last = nodes[nodes.length - 1]!;
		if (first.type === 'Text' && /^[ \t]+/.test(first.data!) && (/^[ \t]+\S/.test(first.data!) || (/^[ \t]+$/.test(first.data!) && nodes.length > 1)))
			out.push(`${path.relative(process.cwd(), file)}:${line(first.start)} leading space in a block or element`);
		if (last.type === 'Text' && /[ \t]+$/.test(last.data!) && (/\S[ \t]+$/.test(last.data!) || (/^[ \t]+$/.test(last.data!) && nodes.length > 1)))
			out.push(`${path.relative(process.cwd(), file)}:${line(last.start)} trailing space in a block or element`);
	};
	const walk = (n: unknown) => {
		if (!n || typeof n !== 'object') return;
		if (Array.isArray(n)) return n.forEach(walk);
		const node = n as Node;
		if (
			typeof node.type === 'string' &&
			(node.type.endsWith('Block') || node.type === 'RegularElement' || node.type === 'Component') &&
			node.name !== 'pre' &&
			node.name !== 'textarea'
		)
			for (const k of ['consequent', 'alternate', 'body', 'fallback', 'fragment', 'pending', 'then', 'catch']) check(node[k] as { nodes: Node[] } | null);
		for (const [k, v] of Object.entries(node)) if (k !== 'metadata' && k !== 'parent') walk(v);
	};
	walk(parse(src, { modern: true }).fragment);
	return out;
}

describe('rendered text', () => {
	it('keeps the spaces written around text inside {#if}/{#each} blocks', () => {
		const root = path.resolve(__dirname, '..', '..');
		const found = svelteFiles(root).flatMap(lostSpaces);
		expect(found).toEqual([]);
	});
});
