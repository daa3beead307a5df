import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, rethrowAsHttp } from '$lib/server/http';
import { diffSpec, getSpec } from '$lib/server/specs/specs.service';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'specs.view');
	const a = Number(event.url.searchParams.get('a'));
	const b = Number(event.url.searchParams.get('b'));
	try {
		const spec = await getSpec(getDb(), ctx, event.params.id);
		return { spec: { id: spec.id, title: spec.title }, a, b, sections: await diffSpec(getDb(), ctx, event.params.id, a, b) };
	} catch (e) {
		rethrowAsHttp(e);
	}
};
