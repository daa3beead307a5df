import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab } from '$lib/server/http';
import { createPost } from '$lib/server/journal/posts.service';
import { readPostForm } from '$lib/server/journal/forms';
import { memberChoices } from '$lib/server/members/members.service';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'journal.write');
	return { authors: await memberChoices(getDb(), ctx), me: ctx.actor?.personId ?? '' };
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'journal.write');
		const r = await readPostForm(event);
		if (!r.ok) return r.failure;
		let id: string;
		try {
			id = await createPost(getDb(), ctx, r.input);
		} catch (e) {
			return domainFailure(e, r.values);
		}
		redirect(303, `/l/${ctx.lab.slug}/journal/admin/${id}?created=1`);
	}
};
