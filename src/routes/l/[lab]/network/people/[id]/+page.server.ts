import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, rethrowAsHttp } from '$lib/server/http';
import { eraseReferent } from '$lib/server/commands/erase-referent';
import { viewReferent } from '$lib/server/network/directory';
import { DomainError } from '$lib/server/errors';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'network.view');
	try {
		return { referent: await viewReferent(getDb(), ctx, event.params.id) };
	} catch (e) {
		rethrowAsHttp(e);
	}
};

export const actions: Actions = {
	erase: async (event) => {
		const ctx = await guardLab(event, 'network.erase');
		const form = await event.request.formData();
		if (form.get('confirm') !== 'yes') return domainFailure(new DomainError('network.eraseConfirm', 400, {}, 'confirm'), {});
		try {
			await eraseReferent(getDb(), ctx, event.params.id);
		} catch (e) {
			return domainFailure(e, {});
		}
		redirect(303, `/l/${ctx.lab.slug}/network?erased=1`);
	}
};
