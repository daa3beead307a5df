import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, httpError } from '$lib/server/http';
import { answerCall, answerView } from '$lib/server/network/calls.service';
import { isAnswer } from '$lib/shared/network';
import { DomainError } from '$lib/server/errors';
import { hitRateLimit, LIMITS } from '$lib/server/ratelimit/ratelimit';
import { formMessage } from '$lib/shared/forms';

// Answer links work without logging in: the token in the address is the proof. Opening the
// link only shows the question (mail scanners open links); the answer is recorded on submit.

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	const view = await answerView(getDb(), ctx.lab, event.params.token);
	if (!view) httpError(404, 'network.answerUnknown');
	const r = event.url.searchParams.get('r');
	event.setHeaders({ 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer' });
	return { view, suggested: isAnswer(r) ? r : null };
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'lab.viewPublic');
		const limited = await hitRateLimit(getDb(), `network-answer:${event.getClientAddress()}`, LIMITS.publicForm);
		if (!limited.allowed)
			return domainFailure(new DomainError('network.join.tooManyAttempts', 429, { minutes: Math.ceil(limited.retryAfterSeconds / 60) }), {});
		const form = await event.request.formData();
		const answer = form.get('answer');
		if (!isAnswer(answer)) return domainFailure(new DomainError('network.answerChoose', 400, {}, 'answer'), {});
		try {
			await answerCall(getDb(), ctx.lab, event.params.token, answer);
		} catch (e) {
			return domainFailure(e, { answer });
		}
		return { done: formMessage(`network.answerThanks.${answer}`) };
	}
};
