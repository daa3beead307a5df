import { afterEach, describe, expect, it, vi } from 'vitest';
import { SolveError, startSolve } from './client';
import { runSolveRequest, type SolveMessage, type SolveRequest } from './protocol';

/**
 * A stand-in for the browser Worker: it runs the request with the real protocol, then delivers
 * the messages one per macrotask until terminated.
 */
class FakeWorker {
	static last: FakeWorker | null = null;
	onmessage: ((e: { data: SolveMessage }) => void) | null = null;
	onerror: ((e: unknown) => void) | null = null;
	terminated = false;
	received: SolveRequest | null = null;
	transfer: Transferable[] = [];
	constructor(
		readonly url: URL,
		readonly options: { type: string }
	) {
		FakeWorker.last = this;
	}
	postMessage(msg: SolveRequest, transfer: Transferable[]) {
		this.received = structuredClone(msg);
		this.transfer = transfer;
		const queue: SolveMessage[] = [];
		runSolveRequest(this.received, (m) => queue.push(m));
		const next = () => {
			if (this.terminated || !queue.length) return;
			this.onmessage?.({ data: queue.shift()! });
			setTimeout(next, 0);
		};
		setTimeout(next, 0);
	}
	terminate() {
		this.terminated = true;
	}
}

function request(extra: Partial<SolveRequest> = {}): SolveRequest {
	const n = 12;
	const d = new Float64Array(n * n);
	for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) d[i * n + j] = ((i * 7 + j * 7) % 5) + 1;
	return { instance: { n, groups: 3, min: [4, 4, 4], max: [4, 4, 4], d }, seed: 1, seconds: 0.05, progressMs: 5, ...extra };
}

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('solve client', () => {
	it('starts a module worker, streams progress and resolves with the result', async () => {
		vi.stubGlobal('Worker', FakeWorker);
		const req = request();
		const seen: number[] = [];
		const run = startSolve(req, (p) => seen.push(p.best));
		const w = FakeWorker.last!;
		expect(w.options).toEqual({ type: 'module' });
		expect(w.url.pathname).toMatch(/solve\.worker\.ts$/);
		expect(req.instance.d.length).toBe(144); // the caller's matrix is not detached
		const result = await run.done;
		expect(result).toMatchObject({ stopped: false });
		expect(result!.assignment).toHaveLength(12);
		expect(seen.length).toBeGreaterThan(0);
		expect(w.terminated).toBe(true);
		expect(run.stop()).toEqual(result);
	});

	it('stop() terminates the worker and returns the last best reported', async () => {
		vi.stubGlobal('Worker', FakeWorker);
		let handle: ReturnType<typeof startSolve> | null = null;
		let stoppedWith: unknown = null;
		handle = startSolve(request(), () => {
			stoppedWith = handle!.stop();
		});
		const result = await handle.done;
		expect(FakeWorker.last!.terminated).toBe(true);
		expect(result).toMatchObject({ stopped: true });
		expect(result).toBe(stoppedWith);
		expect(result!.assignment).toHaveLength(12);
	});

	it('rejects with a translatable error for impossible settings', async () => {
		vi.stubGlobal('Worker', FakeWorker);
		const run = startSolve(request({ constraints: { together: [[0, 1, 2, 3, 4]] } }));
		await expect(run.done).rejects.toBeInstanceOf(SolveError);
		await expect(run.done).rejects.toMatchObject({ code: 'grouping.togetherTooLarge', params: { size: 5, max: 4, members: '0,1,2,3,4' } });
	});
});
