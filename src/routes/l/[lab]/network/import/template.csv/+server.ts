import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab } from '$lib/server/http';
import { toCsv } from '$lib/server/csv';
import { listSkills } from '$lib/server/network/network.service';
import { TEMPLATE_HEADER, templateRows } from '$lib/server/network/import.service';

/** A file to fill in: the expected header and one example row (with the lab's own skills). */
export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'network.import');
	const csv = toCsv(TEMPLATE_HEADER, templateRows(await listSkills(getDb(), ctx.lab.id)));
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': 'attachment; filename="modele-import-referents.csv"',
			'cache-control': 'private, no-store'
		}
	});
};
