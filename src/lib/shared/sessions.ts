/**
 * A co-production session's vocabulary and its translation into a grouping problem, shared by
 * the server (which verifies what is saved) and the page (which solves in a worker and scores
 * manual moves as they happen).
 */
import { distanceMatrix, type AttributeDef, type Participant } from '$lib/grouping/distance';
import { groupSizes, type SizeChoice } from '$lib/grouping/sizes';
import { precheck, type GroupingProblem } from '$lib/grouping/precheck';
import { assignFacilitators, type FacilitatorLevel } from '$lib/grouping/facilitators';
import { fold } from './network';
import type { MessageKey, Params } from '$lib/i18n';

export const ACTOR_TYPES = ['public', 'private', 'institutional', 'associative', 'citizen'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];
export const SCALES = ['commune', 'intercommunality', 'departement', 'region', 'state'] as const;
export type Scale = (typeof SCALES)[number];
export const isActorType = (v: unknown): v is ActorType => typeof v === 'string' && (ACTOR_TYPES as readonly string[]).includes(v);
export const isScale = (v: unknown): v is Scale => typeof v === 'string' && (SCALES as readonly string[]).includes(v);
/** How a saved plan was made. */
export type PlanSource = 'solver' | 'manual';

/** Built-in attributes every session has; labs add their own (categorical or numeric). */
export const BUILTIN_ATTRIBUTES = [
	{ key: 'organisation', kind: 'categorical' },
	{ key: 'actorType', kind: 'categorical' },
	{ key: 'scale', kind: 'categorical' },
	{ key: 'directorate', kind: 'categorical' }
] as const;

export interface SessionAttribute {
	key: string;
	label: string | null; // null: a built-in attribute, labelled by the interface
	kind: 'categorical' | 'numeric';
}

export interface SessionParticipant {
	id: string;
	name: string;
	email: string;
	organisation: string;
	actorType: ActorType | '';
	scale: Scale | '';
	directorate: string;
	extra: Record<string, string>;
	source: string;
}

export interface SessionSettings {
	/** attribute key → weight from 0 (ignored) to 5. */
	weights: Record<string, number>;
	sizing: SizeChoice;
	/** Participant ids. */
	together: string[][];
	apart: [string, string][];
	/** participant id → group index (0-based). */
	pinned: Record<string, number>;
	/** Referent ids of the session's facilitators. */
	facilitators: string[];
	/** Time the solver may take, in seconds. */
	seconds: number;
}

export const DEFAULT_SETTINGS: SessionSettings = {
	weights: { organisation: 2, actorType: 3, scale: 3, directorate: 2 },
	sizing: { mode: 'groups', groups: 4 },
	together: [],
	apart: [],
	pinned: {},
	facilitators: [],
	seconds: 2
};

export const participantValues = (p: SessionParticipant): Participant => ({
	organisation: p.organisation || null,
	actorType: p.actorType || null,
	scale: p.scale || null,
	directorate: p.directorate || null,
	...Object.fromEntries(Object.entries(p.extra).map(([k, v]) => [k, v || null]))
});

export interface Problem {
	n: number;
	groups: number;
	min: Int32Array<ArrayBufferLike>;
	max: Int32Array<ArrayBufferLike>;
	d: Float64Array;
	attributes: AttributeDef[];
	values: Participant[];
	pinned: [number, number][];
	apart: [number, number][];
	together: number[][];
	problems: GroupingProblem[];
}

/** From the session to the solver's terms: indices follow `participants`' order. */
export function buildProblem(participants: SessionParticipant[], attributes: SessionAttribute[], s: SessionSettings, facilitators: number): Problem {
	const index = new Map(participants.map((p, i) => [p.id, i]));
	const defs: AttributeDef[] = attributes.map((a) => ({ key: a.key, kind: a.kind, weight: Math.max(0, s.weights[a.key] ?? 0) }));
	const values = participants.map(participantValues);
	const n = participants.length;
	const sizes = groupSizes(n, s.sizing);
	const problems: GroupingProblem[] = [];
	let groups = 0;
	let min: Int32Array = new Int32Array(0);
	let max: Int32Array = new Int32Array(0);
	if (sizes.ok) ({ groups, min, max } = sizes);
	else problems.push({ code: sizes.code, params: sizes.params });
	const known = (ids: string[]) => ids.filter((id) => index.has(id)).map((id) => index.get(id)!);
	const together = s.together.map(known).filter((t) => t.length > 1);
	const apart = s.apart.map(known).filter((a) => a.length === 2) as [number, number][];
	const pinned = Object.entries(s.pinned)
		.filter(([id]) => index.has(id))
		.map(([id, g]) => [index.get(id)!, g] as [number, number]);
	if (sizes.ok) problems.push(...precheck({ n, groups, min, max }, { pinned, apart, together }, { facilitators }));
	return { n, groups, min, max, d: n ? distanceMatrix(defs, values) : new Float64Array(0), attributes: defs, values, pinned, apart, together, problems };
}

/** Why moving participant `i` to group `g` is refused, or null when it is allowed. */
export function moveRefusal(p: Problem, assignment: ArrayLike<number>, i: number, g: number): { key: MessageKey; params: Params } | null {
	const from = assignment[i]!;
	if (from === g) return null;
	const size = (k: number) => Array.from(assignment).filter((x) => x === k).length;
	const pin = p.pinned.find(([x]) => x === i);
	if (pin && pin[1] !== g) return { key: 'session.refuse.pinned', params: { group: pin[1] + 1 } };
	const set = p.together.find((t) => t.includes(i));
	// `count` is how many others `i` must stay with.
	if (set) return { key: 'session.refuse.together', params: { count: set.length - 1 } };
	for (const [a, b] of p.apart) {
		const other = a === i ? b : b === i ? a : -1;
		if (other >= 0 && assignment[other] === g) return { key: 'session.refuse.apart', params: { other } };
	}
	if (size(g) + 1 > p.max[g]!) return { key: 'session.refuse.full', params: { group: g + 1, max: p.max[g]! } };
	if (size(from) - 1 < p.min[from]!) return { key: 'session.refuse.tooSmall', params: { group: from + 1, min: p.min[from]! } };
	return null;
}

/** Why swapping `i` and `j` is refused, or null. Sizes never change in a swap. */
export function swapRefusal(p: Problem, assignment: ArrayLike<number>, i: number, j: number): { key: MessageKey; params: Params } | null {
	const gi = assignment[i]!;
	const gj = assignment[j]!;
	if (gi === gj) return null;
	const a = Array.from(assignment);
	a[i] = gj;
	a[j] = gi;
	for (const [x, g] of p.pinned) if (a[x] !== g) return { key: 'session.refuse.pinned', params: { group: g + 1 } };
	for (const t of p.together) if (new Set(t.map((x) => a[x])).size > 1) return { key: 'session.refuse.together', params: { count: t.length - 1 } };
	for (const [x, y] of p.apart) if (a[x] === a[y]) return { key: 'session.refuse.apart', params: { other: x === i || x === j ? y : x } };
	return null;
}

/** Every broken rule of a full assignment, for the server's check before saving. */
export function assignmentProblems(p: Problem, assignment: ArrayLike<number>): MessageKey[] {
	const out: MessageKey[] = [];
	if (assignment.length !== p.n) return ['session.invalid.length'];
	const sizes = new Array(p.groups).fill(0);
	for (let i = 0; i < p.n; i++) {
		const g = assignment[i]!;
		if (!Number.isInteger(g) || g < 0 || g >= p.groups) return ['session.invalid.group'];
		sizes[g]++;
	}
	sizes.forEach((s, g) => {
		if (s < p.min[g]! || s > p.max[g]!) out.push('session.invalid.size');
	});
	for (const [x, g] of p.pinned) if (assignment[x] !== g) out.push('session.invalid.pinned');
	for (const t of p.together) if (new Set(t.map((x) => assignment[x])).size > 1) out.push('session.invalid.together');
	for (const [x, y] of p.apart) if (assignment[x] === assignment[y]) out.push('session.invalid.apart');
	return [...new Set(out)];
}

export function scoreOf(p: Problem, assignment: ArrayLike<number>): number {
	let s = 0;
	for (let i = 0; i < p.n; i++) for (let j = i + 1; j < p.n; j++) if (assignment[i] === assignment[j]) s += p.d[i * p.n + j]!;
	return s;
}

/**
 * Constraints typed by name, one per line, so they are written and read with the keyboard:
 * together `Nom + Nom (+ Nom…)`, apart `Nom / Nom`, pinned `Nom = 3` (groups from 1).
 */
export function parseConstraintLines(
	text: { together: string; apart: string; pinned: string },
	participants: { id: string; name: string }[]
):
	| { ok: true; together: string[][]; apart: [string, string][]; pinned: Record<string, number> }
	| { ok: false; field: string; line: number; key: MessageKey; name?: string } {
	const byName = new Map<string, string[]>();
	for (const p of participants) byName.set(fold(p.name), [...(byName.get(fold(p.name)) ?? []), p.id]);
	const find = (name: string): string | { key: MessageKey } => {
		const ids = byName.get(fold(name));
		if (!ids) return { key: 'session.constraint.unknownName' };
		if (ids.length > 1) return { key: 'session.constraint.ambiguousName' };
		return ids[0]!;
	};
	const lines = (s: string) =>
		s
			.split(/\r?\n/)
			.map((l, i) => ({ line: i + 1, raw: l.trim() }))
			.filter((l) => l.raw);
	const together: string[][] = [];
	for (const { line, raw } of lines(text.together)) {
		const names = raw
			.split('+')
			.map((x) => x.trim())
			.filter(Boolean);
		if (names.length < 2) return { ok: false, field: 'together', line, key: 'session.constraint.togetherFormat' };
		const ids: string[] = [];
		for (const n of names) {
			const id = find(n);
			if (typeof id !== 'string') return { ok: false, field: 'together', line, key: id.key, name: n };
			ids.push(id);
		}
		together.push(ids);
	}
	const apart: [string, string][] = [];
	for (const { line, raw } of lines(text.apart)) {
		const names = raw
			.split('/')
			.map((x) => x.trim())
			.filter(Boolean);
		if (names.length !== 2) return { ok: false, field: 'apart', line, key: 'session.constraint.apartFormat' };
		const a = find(names[0]!);
		const b = find(names[1]!);
		if (typeof a !== 'string') return { ok: false, field: 'apart', line, key: a.key, name: names[0] };
		if (typeof b !== 'string') return { ok: false, field: 'apart', line, key: b.key, name: names[1] };
		apart.push([a, b]);
	}
	const pinned: Record<string, number> = {};
	for (const { line, raw } of lines(text.pinned)) {
		const m = /^(.+?)\s*=\s*(\d+)$/.exec(raw);
		if (!m) return { ok: false, field: 'pinned', line, key: 'session.constraint.pinnedFormat' };
		const id = find(m[1]!);
		if (typeof id !== 'string') return { ok: false, field: 'pinned', line, key: id.key, name: m[1] };
		const g = Number(m[2]);
		if (g < 1) return { ok: false, field: 'pinned', line, key: 'session.constraint.pinnedFormat' };
		pinned[id] = g - 1;
	}
	return { ok: true, together, apart, pinned };
}

export function constraintsToText(s: SessionSettings, participants: { id: string; name: string }[]): { together: string; apart: string; pinned: string } {
	const name = new Map(participants.map((p) => [p.id, p.name]));
	const n = (id: string) => name.get(id) ?? '?';
	return {
		together: s.together.map((t) => t.map(n).join(' + ')).join('\n'),
		apart: s.apart.map(([a, b]) => `${n(a)} / ${n(b)}`).join('\n'),
		pinned: Object.entries(s.pinned)
			.map(([id, g]) => `${n(id)} = ${g + 1}`)
			.join('\n')
	};
}

export interface PlanFacilitator {
	groupIndex: number;
	referentId: string;
	role: 'lead' | 'second';
}

/**
 * The facilitators of each group from the session's chosen referents: one per group, two (a
 * novice with an experienced one) when there are enough; none when there are too few (the
 * pre-checks say so).
 */
export function facilitatorPlan(groups: number, candidates: { referentId: string; level: FacilitatorLevel }[], chosen: readonly string[]): PlanFacilitator[] {
	const picked = candidates.filter((c) => chosen.includes(c.referentId));
	const r = assignFacilitators(
		groups,
		picked.map((c) => ({ id: c.referentId, level: c.level }))
	);
	if (!r.ok) return [];
	return r.groups.flatMap((g, i) => [
		{ groupIndex: i, referentId: g.lead, role: 'lead' as const },
		...(g.second ? [{ groupIndex: i, referentId: g.second, role: 'second' as const }] : [])
	]);
}
