/**
 * Browser Web Worker running the grouping solver off the main thread (see protocol.ts for the
 * messages and client.ts to start it). One request per worker: it is terminated to stop.
 */
import { runSolveRequest, type SolveMessage, type SolveRequest } from './protocol';

// Typed by hand: the project compiles with the DOM library, not the WebWorker one.
const scope = self as unknown as {
	onmessage: ((e: MessageEvent<SolveRequest>) => void) | null;
	postMessage(message: SolveMessage): void;
};

scope.onmessage = (e) => {
	scope.onmessage = null;
	runSolveRequest(e.data, (m) => scope.postMessage(m));
};
