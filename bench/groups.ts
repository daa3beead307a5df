/**
 * npm run bench:groups — the grouping solver on what a co-production session looks like:
 *  1. a synthetic session (seeded): 300 participants, 6 categorical attributes and 1 numeric,
 *     30 groups of 10, a few together / apart / pinned constraints; 1 s per seed (1..5), the
 *     best objective at 0.1, 0.25, 0.5 and 1 s, beside a random balanced assignment and a
 *     round-robin one (same run);
 *  2. the MDGPLIB instance RanReal_n120_ss_01 (../shared/data/mdgp, or BENCH_MDGP) for 3 s per
 *     seed (1..3), when the file exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distanceMatrix, type AttributeDef, type Participant } from '../src/lib/grouping/distance';
import { objective, parseMdgplib, violations, type Constraints, type Instance } from '../src/lib/grouping/instance';
import { mergeTogether, precheck } from '../src/lib/grouping/precheck';
import { groupSizes } from '../src/lib/grouping/sizes';
import { rng, solve } from '../src/lib/grouping/solver';
import { fmt, machine } from './lib';

const N = 300;
const GROUPS = 30;
const CHECKPOINTS_MS = [100, 250, 500, 1000];

/** A value drawn with the given relative frequencies. */
function pick<T>(random: () => number, values: readonly T[], freq: readonly number[]): T {
	const total = freq.reduce((a, b) => a + b, 0);
	let x = random() * total;
	for (let k = 0; k < values.length; k++) if ((x -= freq[k]!) < 0) return values[k]!;
	return values.at(-1)!;
}

function syntheticSession(seed: number): { attributes: AttributeDef[]; participants: Participant[] } {
	const r = rng(seed);
	const attributes: AttributeDef[] = [
		{ key: 'organisation', kind: 'categorical', weight: 3 },
		{ key: 'territory', kind: 'categorical', weight: 2 },
		{ key: 'role', kind: 'categorical', weight: 2 },
		{ key: 'gender', kind: 'categorical', weight: 1 },
		{ key: 'sector', kind: 'categorical', weight: 1 },
		{ key: 'seniority', kind: 'categorical', weight: 1 },
		{ key: 'age', kind: 'numeric', weight: 1 }
	];
	const orgs = ['Commune', 'Département', 'Région', 'État', 'Association', 'Entreprise'];
	const territories = ['Nord', 'Sud', 'Est', 'Ouest', 'Centre', 'Littoral', 'Montagne', 'Métropole', 'Rural', 'Outre-mer'];
	const roles = ['Agent', 'Élu', 'Usager', 'Expert', 'Partenaire'];
	const genders = ['F', 'H', 'Autre'];
	const sectors = ['Santé', 'Éducation', 'Mobilité', 'Social', 'Numérique', 'Environnement', 'Culture', 'Emploi'];
	const seniority = ['< 2 ans', '2–5 ans', '5–10 ans', '> 10 ans'];
	const missing = (v: string | number) => (r() < 0.04 ? null : v);
	const participants: Participant[] = Array.from({ length: N }, () => ({
		organisation: missing(pick(r, orgs, [30, 15, 10, 10, 20, 15])),
		territory: missing(pick(r, territories, [12, 12, 10, 10, 10, 8, 6, 20, 8, 4])),
		role: missing(pick(r, roles, [40, 10, 25, 15, 10])),
		gender: missing(pick(r, genders, [52, 46, 2])),
		sector: missing(pick(r, sectors, [1, 1, 1, 1, 1, 1, 1, 1])),
		seniority: missing(pick(r, seniority, [20, 30, 30, 20])),
		age: missing(Math.round(22 + 43 * r()))
	}));
	return { attributes, participants };
}

function shuffled(n: number, random: () => number): number[] {
	const order = [...Array(n).keys()];
	for (let k = n - 1; k > 0; k--) {
		const j = Math.floor(random() * (k + 1));
		[order[k], order[j]] = [order[j]!, order[k]!];
	}
	return order;
}

/** Objective of the assignment placing order[k] in group k mod G (balanced sizes). */
function dealt(inst: Instance, order: number[]): number {
	const a = new Int32Array(inst.n);
	order.forEach((i, k) => (a[i] = k % inst.groups));
	return objective(inst, a);
}

function session(): void {
	const { attributes, participants } = syntheticSession(2024);
	const t0 = performance.now();
	const d = distanceMatrix(attributes, participants);
	const matrixMs = performance.now() - t0;
	const sizes = groupSizes(N, { mode: 'groups', groups: GROUPS });
	if (!sizes.ok) throw new Error(sizes.code);
	const inst: Instance = { n: N, groups: sizes.groups, min: sizes.min, max: sizes.max, d };
	const pinned: [number, number][] = [
		[12, 0],
		[13, 1],
		[14, 2],
		[15, 0]
	];
	const apart: [number, number][] = [
		[5, 6],
		[7, 8],
		[9, 10],
		[0, 11],
		[12, 16]
	];
	const together = [
		[0, 1],
		[2, 3, 4],
		[4, 17]
	];
	const problems = precheck(inst, { pinned, apart, together });
	if (problems.length) throw new Error(`precheck: ${JSON.stringify(problems)}`);
	const c: Constraints = { pinned: new Map(pinned), apart, together: mergeTogether(N, together) };

	console.log(`\nSynthetic session: ${N} participants, 6 categorical + 1 numeric attributes, ${GROUPS} groups of ${N / GROUPS}`);
	console.log(`  ${pinned.length} pinned, ${apart.length} apart pairs, ${together.length} together-sets; distance matrix in ${fmt(matrixMs)} ms`);
	console.log(
		`  seed | ${CHECKPOINTS_MS.map((t) => `@${t / 1000} s`.padStart(8)).join(' ')} |    final | found at | iterations | random | ×random | round-robin | ×r-robin | valid`
	);
	for (let seed = 1; seed <= 5; seed++) {
		const reports: { best: number; ms: number }[] = [];
		const sol = solve(inst, c, { seed, seconds: 1, progressMs: 0, onProgress: (best, ms) => reports.push({ best, ms }) });
		const at = CHECKPOINTS_MS.map((t) => {
			let b = Number.NaN;
			for (const r of reports) if (r.ms <= t) b = r.best;
			return b;
		});
		const random = dealt(inst, shuffled(N, rng(1000 + seed)));
		const robin = dealt(inst, [...Array(N).keys()]);
		const ok = violations(inst, sol.assignment, c).length === 0;
		console.log(
			`  ${String(seed).padStart(4)} | ${at.map((b) => fmt(b, 2).padStart(8)).join(' ')} | ${fmt(sol.objective, 2).padStart(8)} | ${fmt(sol.foundAtMs / 1000, 3).padStart(6)} s | ${String(sol.iterations).padStart(10)} | ${fmt(random, 2).padStart(6)} | ${fmt(sol.objective / random, 3).padStart(7)} | ${fmt(robin, 2).padStart(11)} | ${fmt(sol.objective / robin, 3).padStart(8)} | ${ok ? 'yes' : 'NO'}`
		);
	}
}

function mdgplib(): void {
	const root = fileURLToPath(new URL('..', import.meta.url));
	const file = process.env.BENCH_MDGP ?? path.join(root, '../shared/data/mdgp/RanReal_n120_ss_01.txt');
	if (!fs.existsSync(file)) return;
	const inst = parseMdgplib(fs.readFileSync(file, 'utf8'));
	console.log(`\n${path.basename(file)} (n=${inst.n}, G=${inst.groups}), 3 s per seed`);
	console.log('  seed |    objective | reached at | iterations | valid');
	for (let seed = 1; seed <= 3; seed++) {
		const sol = solve(inst, {}, { seed, seconds: 3 });
		const ok = violations(inst, sol.assignment).length === 0;
		console.log(
			`  ${String(seed).padStart(4)} | ${fmt(sol.objective, 3).padStart(12)} | ${fmt(sol.foundAtMs / 1000, 3).padStart(8)} s | ${String(sol.iterations).padStart(10)} | ${ok ? 'yes' : 'NO'}`
		);
	}
}

console.log(`bench:groups — ${machine()}`);
session();
mdgplib();
