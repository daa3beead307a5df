import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, httpError } from '$lib/server/http';
import { addJoinDomain, JOIN_ROLES, listJoinDomains, removeJoinDomain } from '$lib/server/members';
import { oidcButton } from '$lib/server/auth';
import { formMessage } from '$lib/shared/forms';

/** The e-mail domains whose people may join this lab through single sign-on (coordinators). */
export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'lab.settings');
	const sso = oidcButton();
	if (!sso) httpError(404, 'sso.notConfigured');
	return { domains: await listJoinDomains(getDb(), ctx), roles: [...JOIN_ROLES], label: sso.label };
};

export const actions: Actions = {
	add: async (event) => {
		const ctx = await guardLab(event, 'lab.settings');
		const data = await event.request.formData();
		const values = { formId: 'add', domain: String(data.get('domain') ?? ''), role: String(data.get('role') ?? '') };
		try {
			await addJoinDomain(getDb(), ctx, values);
		} catch (e) {
			return domainFailure(e, values);
		}
		return { formId: 'add', done: formMessage('sso.domainAdded') };
	},
	remove: async (event) => {
		const ctx = await guardLab(event, 'lab.settings');
		const id = String((await event.request.formData()).get('id') ?? '');
		try {
			await removeJoinDomain(getDb(), ctx, id);
		} catch (e) {
			return domainFailure(e, { formId: 'remove' });
		}
		return { formId: 'remove', done: formMessage('sso.domainRemoved') };
	}
};
