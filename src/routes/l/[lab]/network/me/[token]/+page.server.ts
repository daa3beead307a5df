import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, httpError } from '$lib/server/http';
import { referentByLink } from '$lib/server/network/invitations';
import { hitRateLimit, LIMITS } from '$lib/server/ratelimit/ratelimit';
import { rejoinWith, selfActions, selfPageData } from '$lib/server/network/self';

// A referent's personal link, sent in every network mail: no account needed.

async function resolve(event: Parameters<PageServerLoad>[0]) {
	const ctx = await guardLab(event, 'lab.viewPublic');
	const referentId = await referentByLink(getDb(), ctx.lab.id, event.params.token);
	if (!referentId) httpError(404, 'network.linkInvalid');
	return { ctx, referentId };
}

export const load: PageServerLoad = async (event) => {
	const { ctx, referentId } = await resolve(event);
	event.setHeaders({ 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer' });
	return { self: await selfPageData(ctx.lab, referentId), dataHref: `/l/${ctx.lab.slug}/network/me/${event.params.token}/data.json` };
};

export const actions: Actions = selfActions(async (event) => {
	// A public form (the link is the only proof): limited per address like the others.
	const limited = await hitRateLimit(getDb(), `network-self:${event.getClientAddress()}`, LIMITS.publicForm);
	if (!limited.allowed) httpError(429, 'error.tooManyRequests');
	const { ctx, referentId } = await resolve(event as Parameters<PageServerLoad>[0]);
	return { lab: ctx.lab, referentId, join: rejoinWith(ctx.lab, referentId), actorId: null };
});
