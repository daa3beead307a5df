import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, httpError } from '$lib/server/http';
import { exportReferentData } from '$lib/server/network/directory';
import { referentByLink } from '$lib/server/network/invitations';
import { dataResponse } from '$lib/server/network/self';

export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	const id = await referentByLink(getDb(), ctx.lab.id, event.params.token);
	if (!id) httpError(404, 'network.linkInvalid');
	return dataResponse(await exportReferentData(getDb(), ctx.lab, id));
};
