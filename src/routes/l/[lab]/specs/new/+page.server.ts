import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm } from '$lib/server/http';
import { createSpec } from '$lib/server/specs/specs.service';
import { listExperiments } from '$lib/server/experiments/experiments.service';
import { specSchema } from '$lib/shared/schemas';
import { SPEC_KINDS, type SpecKind } from '$lib/shared/specs';

const kindOf = (url: URL): SpecKind => {
	const k = url.searchParams.get('kind');
	return (SPEC_KINDS as readonly string[]).includes(k ?? '') ? (k as SpecKind) : 'specification';
};

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'specs.edit');
	const experiments = (await listExperiments(getDb(), ctx)).map((x) => ({ value: x.id, label: x.title }));
	return { kind: kindOf(event.url), experiments };
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'specs.edit');
		const parsed = await parseForm(event, specSchema);
		if (!parsed.ok) return parsed.failure;
		let id: string;
		try {
			id = await createSpec(getDb(), ctx, kindOf(event.url), parsed.data);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		redirect(303, `/l/${ctx.lab.slug}/specs/${id}`);
	}
};
