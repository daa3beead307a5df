import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, httpError } from '$lib/server/http';
import { exportReferentData } from '$lib/server/network/directory';
import { myReferentId } from '$lib/server/network/network.service';
import { dataResponse } from '$lib/server/network/self';

export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'network.join');
	const id = await myReferentId(getDb(), ctx);
	if (!id) httpError(404, 'network.notFound');
	return dataResponse(await exportReferentData(getDb(), ctx.lab, id));
};
