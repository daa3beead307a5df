import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, rethrowAsHttp } from '$lib/server/http';
import { planGroups } from '$lib/server/sessions/sessions.service';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'events.view');
	try {
		return { print: await planGroups(getDb(), ctx, event.params.id) };
	} catch (e) {
		rethrowAsHttp(e);
	}
};
