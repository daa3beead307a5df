import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** What every log line of one request carries: its id (also shown on the error page). */
export interface RequestContext {
	requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** A short id people can quote (10 hex characters). */
export const newRequestId = (): string => randomBytes(5).toString('hex').toUpperCase();

/** Takes the proxy's id (nginx `$request_id`) when it looks like one, else makes a new one. */
export function requestIdFrom(header: string | null): string {
	return header && /^[A-Za-z0-9-]{6,64}$/.test(header) ? header : newRequestId();
}

export function runWithRequest<T>(ctx: RequestContext, fn: () => T): T {
	return storage.run(ctx, fn);
}

export function currentRequestId(): string | undefined {
	return storage.getStore()?.requestId;
}
