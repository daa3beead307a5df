import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm } from '$lib/server/http';
import { can } from '$lib/server/policy';
import { prepareSubventions, publishedFiles, publishSubventions } from '$lib/server/opendata/opendata.service';
import { setGrantingAuthority } from '$lib/server/labs';
import { authoritySchema } from '$lib/shared/opendata';
import { formMessage } from '$lib/shared/forms';
import { z } from 'zod';

/** `?year=2014`, or all years when absent or anything else. */
const yearOf = (v: string | null | undefined): number | null => (v && /^\d{4}$/.test(v) ? Number(v) : null);

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	const db = getDb();
	const files = await publishedFiles(db, ctx);
	const preparation = can(ctx.role, 'lab.settings') ? await prepareSubventions(db, ctx, yearOf(event.url.searchParams.get('year'))) : null;
	// The coordinators' view shows counts and missing fields, not the file's text.
	return { files, preparation: preparation && { ...preparation, csv: undefined, rows: preparation.rows.length } };
};

export const actions: Actions = {
	authority: async (event) => {
		const ctx = await guardLab(event, 'lab.settings');
		const parsed = await parseForm(event, authoritySchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await setGrantingAuthority(getDb(), ctx, { name: parsed.data.authorityName, siret: parsed.data.authoritySiret });
		} catch (e) {
			return domainFailure(e, { ...parsed.values, formId: 'authority' });
		}
		return { formId: 'authority', done: true };
	},
	publish: async (event) => {
		const ctx = await guardLab(event, 'lab.settings');
		const parsed = await parseForm(event, z.object({ year: z.string().optional() }));
		if (!parsed.ok) return parsed.failure;
		try {
			const res = await publishSubventions(getDb(), ctx, yearOf(parsed.data.year));
			return { formId: 'publish', done: formMessage('opendata.publishedDone', { file: res.fileName, rows: res.rows }) };
		} catch (e) {
			return domainFailure(e, { ...parsed.values, formId: 'publish' });
		}
	}
};
