import { publicOrigin } from '$lib/server/env';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab } from '$lib/server/http';
import { requestErasure } from '$lib/server/journal/comments';

// Anyone may ask to erase the comments they left with an address: the answer is the same
// whether or not that address ever commented; a link is mailed only when it did.

export const load: PageServerLoad = async (event) => {
	await guardLab(event, 'lab.viewPublic');
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'lab.viewPublic');
		const email = (await event.request.formData()).get('email');
		const typed = typeof email === 'string' ? email : '';
		try {
			await requestErasure(getDb(), ctx.lab, typed, publicOrigin(), event.getClientAddress());
		} catch (e) {
			return domainFailure(e, { email: typed });
		}
		return { sent: true };
	}
};
