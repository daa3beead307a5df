import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm, rethrowAsHttp } from '$lib/server/http';
import { getSpec, updateSpec } from '$lib/server/specs/specs.service';
import { listExperiments } from '$lib/server/experiments/experiments.service';
import { specUpdateSchema } from '$lib/shared/schemas';
import { sectionsToText } from '$lib/shared/specs';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'specs.edit');
	try {
		const s = await getSpec(getDb(), ctx, event.params.id);
		return {
			spec: { id: s.id, title: s.title, kind: s.kind },
			experiments: (await listExperiments(getDb(), ctx)).map((x) => ({ value: x.id, label: x.title })),
			values: {
				title: s.title,
				experimentId: s.experimentId ?? '',
				source: s.source,
				notes: s.notes,
				rating: s.rating ? String(s.rating) : '',
				sections: sectionsToText(s.sections),
				baseVersion: String(s.version)
			}
		};
	} catch (e) {
		rethrowAsHttp(e);
	}
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'specs.edit');
		const parsed = await parseForm(event, specUpdateSchema);
		if (!parsed.ok) return parsed.failure;
		const { baseVersion, ...input } = parsed.data;
		let version: number;
		try {
			version = await updateSpec(getDb(), ctx, event.params.id, baseVersion, input);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		redirect(303, `/l/${ctx.lab.slug}/specs/${event.params.id}?saved=${version}`);
	}
};
