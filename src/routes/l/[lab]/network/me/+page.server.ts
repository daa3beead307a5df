import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab } from '$lib/server/http';
import { joinNetwork, myReferentId } from '$lib/server/network/network.service';
import { selfActions, selfPageData } from '$lib/server/network/self';
import { myCalls } from '$lib/server/network/calls.service';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'network.join');
	const referentId = await myReferentId(getDb(), ctx);
	return {
		self: await selfPageData(ctx.lab, referentId),
		dataHref: `/l/${ctx.lab.slug}/network/me/data.json`,
		// The calls waiting for an answer, answered signed in on their own page.
		callsWaiting: referentId ? (await myCalls(getDb(), ctx)).open.length : null
	};
};

export const actions: Actions = selfActions(async (event) => {
	const ctx = await guardLab(event, 'network.join');
	return {
		lab: ctx.lab,
		referentId: await myReferentId(getDb(), ctx),
		join: (input, consent) => joinNetwork(getDb(), ctx, input, consent),
		actorId: ctx.actor?.accountId ?? null
	};
});
