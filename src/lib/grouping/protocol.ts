/**
 * The messages between a page and the solving worker, and the worker's whole job as a pure
 * function (tested without a Worker): check the request, run the prechecks, solve, stream the
 * best solution so far, and finish with the result or a translatable error.
 */
import type { Instance } from './instance';
import { mergeTogether, precheck, type GroupingProblem } from './precheck';
import { solve } from './solver';

export interface SolveRequest {
	instance: { n: number; groups: number; min: number[]; max: number[]; d: Float64Array };
	constraints?: { pinned?: [number, number][]; apart?: [number, number][]; together?: number[][] };
	seed?: number;
	/** Time limit (default 5). */
	seconds?: number;
	/** Minimum delay between progress messages (default 100 ms, about 10 per second). */
	progressMs?: number;
	/** Facilitators available, when one is needed per group (checked before solving). */
	facilitators?: number;
}

export interface SolveProgress {
	type: 'progress';
	best: number;
	elapsedMs: number;
	/** Group of every participant in the best solution so far. */
	assignment: number[];
}

export interface SolveDone {
	type: 'done';
	best: number;
	/** When the returned solution was first found. */
	foundAtMs: number;
	elapsedMs: number;
	assignment: number[];
	iterations: number;
}

export interface SolveFailure extends GroupingProblem {
	type: 'error';
}

export type SolveMessage = SolveProgress | SolveDone | SolveFailure;

const fail = (message: string): SolveFailure => ({ type: 'error', code: 'grouping.solveFailed', params: { message } });

/** The reason a request cannot be read, or null. */
function malformed(msg: SolveRequest): string | null {
	const inst = msg?.instance;
	if (!inst) return 'missing instance';
	const { n, groups } = inst;
	if (!Number.isInteger(n) || n < 1) return 'n must be a positive integer';
	if (!Number.isInteger(groups)) return 'groups must be an integer';
	if (!Array.isArray(inst.min) || !Array.isArray(inst.max) || inst.min.length !== Math.max(groups, 0) || inst.max.length !== Math.max(groups, 0))
		return 'min and max need one bound per group';
	if ([...inst.min, ...inst.max].some((b) => !Number.isInteger(b) || b < 0)) return 'size bounds must be non-negative integers';
	if (!inst.d || inst.d.length !== n * n) return `d must hold n × n = ${n * n} distances`;
	return null;
}

/**
 * Runs one request to the end, posting progress messages (throttled to `progressMs`) and then
 * exactly one `done` or `error` message. Synchronous: a worker cannot read further messages
 * while it runs, so it is stopped by terminating it.
 */
export function runSolveRequest(msg: SolveRequest, post: (m: SolveMessage) => void): void {
	try {
		const bad = malformed(msg);
		if (bad) return post(fail(bad));
		const { n, groups } = msg.instance;
		const c = msg.constraints ?? {};
		const problems = precheck({ n, groups, min: msg.instance.min, max: msg.instance.max }, c, { facilitators: msg.facilitators });
		if (problems.length) return post({ type: 'error', ...problems[0]! });
		const d = msg.instance.d instanceof Float64Array ? msg.instance.d : Float64Array.from(msg.instance.d as ArrayLike<number>);
		const inst: Instance = { n, groups, min: Int32Array.from(msg.instance.min), max: Int32Array.from(msg.instance.max), d };
		const constraints = {
			pinned: new Map(c.pinned ?? []),
			apart: c.apart ?? [],
			// Sets sharing a participant are one set for the solver.
			together: mergeTogether(n, c.together ?? [])
		};
		const sol = solve(inst, constraints, {
			seed: msg.seed ?? 1,
			seconds: msg.seconds ?? 5,
			progressMs: msg.progressMs ?? 100,
			onProgress: (best, elapsedMs, assignment) => post({ type: 'progress', best, elapsedMs, assignment: Array.from(assignment) })
		});
		post({
			type: 'done',
			best: sol.objective,
			foundAtMs: sol.foundAtMs,
			elapsedMs: sol.elapsedMs,
			assignment: Array.from(sol.assignment),
			iterations: sol.iterations
		});
	} catch (e) {
		// InstanceError (no feasible start found), RangeError (an index out of range), or a bug.
		post(fail(e instanceof Error ? e.message : String(e)));
	}
}
