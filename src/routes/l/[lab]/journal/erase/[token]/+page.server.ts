import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab } from '$lib/server/http';
import { DomainError } from '$lib/server/errors';
import { hitRateLimit, LIMITS } from '$lib/server/ratelimit/ratelimit';
import { checkErasureToken, eraseByToken } from '$lib/server/journal/comments';

// The link mailed to a commenter. Opening it only shows what it would erase (mail scanners
// open links); the erasure happens on the button.

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	event.setHeaders({ 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer' });
	try {
		const { count } = await checkErasureToken(getDb(), ctx.lab, event.params.token);
		return { count, problem: null };
	} catch (e) {
		if (e instanceof DomainError) return { count: 0, problem: e.code };
		throw e;
	}
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'lab.viewPublic');
		const limited = await hitRateLimit(getDb(), `comment-erase-link:${event.getClientAddress()}`, LIMITS.publicForm);
		if (!limited.allowed) return { erased: null, problem: 'error.tooManyRequests' as const };
		try {
			const { erased } = await eraseByToken(getDb(), ctx.lab, event.params.token);
			return { erased };
		} catch (e) {
			if (e instanceof DomainError) return { erased: null, problem: e.code };
			throw e;
		}
	}
};
