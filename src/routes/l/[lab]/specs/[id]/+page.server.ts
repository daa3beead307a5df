import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm, rethrowAsHttp } from '$lib/server/http';
import { can } from '$lib/server/policy';
import { advanceSpec, draftFromModel, getSpec } from '$lib/server/specs/specs.service';
import { awardSpecification } from '$lib/server/commands/award-specification';
import { listExperiments } from '$lib/server/experiments/experiments.service';
import { fundOptions } from '$lib/server/fund/fund.service';
import { renderMarkdown } from '$lib/server/markdown/markdown';
import { awardSchema } from '$lib/shared/schemas';
import { SPEC_STATES } from '$lib/shared/specs';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'specs.view');
	const db = getDb();
	try {
		const spec = await getSpec(db, ctx, event.params.id);
		const [experiments, envelopes] = await Promise.all([
			can(ctx.role, 'specs.edit') && spec.kind !== 'specification'
				? listExperiments(db, ctx).then((r) => r.map((x) => ({ value: x.id, label: x.title })))
				: Promise.resolve([]),
			can(ctx.role, 'specs.award') && spec.state === 'published' ? fundOptions(db, ctx).then((o) => o.envelopes) : Promise.resolve([])
		]);
		return {
			spec: { ...spec, html: spec.sections.map((s) => ({ ...s, html: renderMarkdown(s.body) })), notesHtml: renderMarkdown(spec.notes) },
			experiments,
			envelopes,
			saved: event.url.searchParams.get('saved')
		};
	} catch (e) {
		rethrowAsHttp(e);
	}
};

export const actions: Actions = {
	advance: async (event) => {
		const ctx = await guardLab(event, 'specs.edit');
		const parsed = await parseForm(event, z.object({ from: z.enum(SPEC_STATES) }));
		if (!parsed.ok) return parsed.failure;
		try {
			await advanceSpec(getDb(), ctx, event.params.id, parsed.data.from);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		return { done: true };
	},
	award: async (event) => {
		const ctx = await guardLab(event, 'specs.award');
		const parsed = await parseForm(event, awardSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await awardSpecification(getDb(), ctx, event.params.id, {
				operator: parsed.data.operator,
				amountCents: parsed.data.amount,
				envelopeId: parsed.data.envelopeId
			});
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		return { done: true };
	},
	draft: async (event) => {
		const ctx = await guardLab(event, 'specs.edit');
		const parsed = await parseForm(event, z.object({ experimentId: z.string().uuid() }));
		if (!parsed.ok) return parsed.failure;
		let id: string;
		try {
			id = await draftFromModel(getDb(), ctx, event.params.id, parsed.data.experimentId);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		redirect(303, `/l/${ctx.lab.slug}/specs/${id}`);
	}
};
