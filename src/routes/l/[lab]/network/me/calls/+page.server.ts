import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab } from '$lib/server/http';
import { answerMyCall, myCalls } from '$lib/server/network/calls.service';
import { isAnswer } from '$lib/shared/network';
import { DomainError } from '$lib/server/errors';
import { myReferentId } from '$lib/server/network/network.service';
import { formMessage } from '$lib/shared/forms';

// The signed-in referent answers the calls sent to them here, without the mailed link: their
// account proves who they are, and only their own answer rows are shown or changed.

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'network.join');
	event.setHeaders({ 'Cache-Control': 'private, no-store' });
	const [calls, referentId] = await Promise.all([myCalls(getDb(), ctx), myReferentId(getDb(), ctx)]);
	return { calls, isReferent: referentId !== null };
};

export const actions: Actions = {
	answer: async (event) => {
		const ctx = await guardLab(event, 'network.join');
		const form = await event.request.formData();
		const callId = String(form.get('callId') ?? '').slice(0, 100);
		const answer = form.get('answer');
		const values = { formId: `answer-${callId}`, callId, answer: typeof answer === 'string' ? answer : '' };
		if (!isAnswer(answer)) return domainFailure(new DomainError('network.answerChoose', 400, {}, 'answer'), values);
		try {
			await answerMyCall(getDb(), ctx, callId, answer);
		} catch (e) {
			return domainFailure(e, values);
		}
		return { formId: values.formId, done: formMessage(`network.answerThanks.${answer}`) };
	}
};
