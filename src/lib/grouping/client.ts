/**
 * Browser only: starts the grouping solver in a Web Worker and follows it. Import it from a
 * Svelte page inside onMount or an event handler, never from server code.
 *
 *   const run = startSolve(request, (p) => (best = p.best));
 *   run.done.then((r) => …).catch((e: SolveError) => t(e.code, e.params));
 *   run.stop(); // terminates the worker, returns the last best reported
 */
import type { GroupingCode } from './precheck';
import type { SolveMessage, SolveProgress, SolveRequest } from './protocol';

export interface SolveResult {
	best: number;
	foundAtMs: number;
	elapsedMs: number;
	/** Group of every participant. */
	assignment: number[];
	/** True when stop() ended the search (the result is the last best reported). */
	stopped: boolean;
}

export class SolveError extends Error {
	constructor(
		readonly code: GroupingCode,
		readonly params: Record<string, string | number>
	) {
		super(code);
	}
}

export interface SolveHandle {
	/**
	 * The final result; on stop(), the last best reported (null if none was yet). Rejects with a
	 * SolveError (translatable code and params) when the settings are impossible or the run fails.
	 */
	done: Promise<SolveResult | null>;
	/** Terminates the worker (it cannot read messages while solving) and returns the last best reported. */
	stop(): SolveResult | null;
}

/** A structured-cloneable copy of the request (Svelte state proxies cannot be posted). */
function plain(r: SolveRequest, d: Float64Array): SolveRequest {
	const c = r.constraints ?? {};
	return {
		instance: { n: r.instance.n, groups: r.instance.groups, min: Array.from(r.instance.min), max: Array.from(r.instance.max), d },
		constraints: {
			pinned: (c.pinned ?? []).map(([i, g]) => [i, g] as [number, number]),
			apart: (c.apart ?? []).map(([i, j]) => [i, j] as [number, number]),
			together: (c.together ?? []).map((s) => Array.from(s))
		},
		seed: r.seed,
		seconds: r.seconds,
		progressMs: r.progressMs,
		facilitators: r.facilitators
	};
}

export function startSolve(request: SolveRequest, onProgress?: (p: SolveProgress) => void): SolveHandle {
	let last: SolveResult | null = null;
	let settled = false;
	let resolve!: (r: SolveResult | null) => void;
	let reject!: (e: SolveError) => void;
	const done = new Promise<SolveResult | null>((res, rej) => {
		resolve = res;
		reject = rej;
	});
	const worker = new Worker(new URL('./solve.worker.ts', import.meta.url), { type: 'module' });
	const finish = () => {
		settled = true;
		worker.terminate();
	};
	worker.onmessage = (e: MessageEvent<SolveMessage>) => {
		if (settled) return;
		const m = e.data;
		if (m.type === 'progress') {
			const foundAtMs = last && m.best <= last.best ? last.foundAtMs : m.elapsedMs;
			last = { best: m.best, foundAtMs, elapsedMs: m.elapsedMs, assignment: m.assignment, stopped: true };
			onProgress?.(m);
		} else if (m.type === 'done') {
			finish();
			last = { best: m.best, foundAtMs: m.foundAtMs, elapsedMs: m.elapsedMs, assignment: m.assignment, stopped: false };
			resolve(last);
		} else {
			finish();
			reject(new SolveError(m.code, m.params));
		}
	};
	worker.onerror = (e: ErrorEvent) => {
		e.preventDefault?.();
		if (settled) return;
		finish();
		reject(new SolveError('grouping.solveFailed', { message: e.message || 'worker error' }));
	};
	try {
		// A copy is transferred, so the caller's matrix stays usable (e.g. for explainGroup).
		const d = Float64Array.from(request.instance.d);
		worker.postMessage(plain(request, d), [d.buffer]);
	} catch (e) {
		finish();
		reject(new SolveError('grouping.solveFailed', { message: e instanceof Error ? e.message : String(e) }));
	}
	return {
		done,
		stop() {
			if (!settled) {
				finish();
				resolve(last);
			}
			return last;
		}
	};
}
