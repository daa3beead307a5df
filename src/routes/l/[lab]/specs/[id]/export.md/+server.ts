import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, rethrowAsHttp } from '$lib/server/http';
import { getSpec } from '$lib/server/specs/specs.service';
import { specToMarkdown } from '$lib/server/specs/export';

export const GET: RequestHandler = async (event) => {
	const ctx = await guardLab(event, 'specs.view');
	try {
		const spec = await getSpec(getDb(), ctx, event.params.id);
		return new Response(specToMarkdown(spec, ctx.lab.name), {
			headers: { 'content-type': 'text/markdown; charset=utf-8', 'content-disposition': `attachment; filename="cahier-des-charges-${spec.id.slice(0, 8)}.md"` }
		});
	} catch (e) {
		rethrowAsHttp(e);
	}
};
