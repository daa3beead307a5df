import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, rethrowAsHttp } from '$lib/server/http';
import { getSpec } from '$lib/server/specs/specs.service';
import { specToDocx } from '$lib/server/specs/export';

export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'specs.view');
	try {
		const spec = await getSpec(getDb(), ctx, event.params.id);
		const bytes = await specToDocx(spec, ctx.lab.name);
		return new Response(new Uint8Array(bytes), {
			headers: {
				'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
				'content-disposition': `attachment; filename="cahier-des-charges-${spec.id.slice(0, 8)}.docx"`
			}
		});
	} catch (e) {
		rethrowAsHttp(e);
	}
};
