import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, httpError } from '$lib/server/http';
import { participantGroup } from '$lib/server/sessions/sessions.service';

// A participant's own link: which group they are in, with whom, facilitated by whom. No login.
export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	const view = await participantGroup(getDb(), ctx.lab, event.params.token);
	if (!view) httpError(404, 'session.linkInvalid');
	event.setHeaders({ 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer' });
	return { view };
};
