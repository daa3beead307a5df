import { publicOrigin } from '$lib/server/env';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, parseForm } from '$lib/server/http';
import { guardInstallation } from '$lib/server/installation/guard';
import { appointCoordinator, createLabAsAdmin, labsOverview } from '$lib/server/installation/installation.service';
import { appointCoordinatorSchema, createLabSchema } from '$lib/shared/installation';
import { formMessage } from '$lib/shared/forms';

export const load: PageServerLoad = async (event) => {
	const user = guardInstallation(event);
	const labs = await labsOverview(getDb(), user);
	// "Nommer" in a lab's row comes back here with that lab chosen in the form.
	const chosen = event.url.searchParams.get('lab');
	return { labs, chosenLab: labs.some((l) => l.id === chosen) ? chosen : null };
};

export const actions: Actions = {
	lab: async (event) => {
		const user = guardInstallation(event);
		const parsed = await parseForm(event, createLabSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			const { labName, ...rest } = parsed.data;
			const lab = await createLabAsAdmin(getDb(), user, { ...rest, name: labName });
			return { formId: 'lab', createdLab: lab.id, done: formMessage('installation.labCreated', { name: lab.name }) };
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
	},
	appoint: async (event) => {
		const user = guardInstallation(event);
		const parsed = await parseForm(event, appointCoordinatorSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			const res = await appointCoordinator(getDb(), user, { ...parsed.data, origin: publicOrigin() });
			const done =
				res.kind === 'invited'
					? { key: 'installation.invited', params: { email: res.email, lab: res.labName } }
					: { key: 'installation.appointed', params: { name: res.name, lab: res.labName } };
			return { formId: 'appoint', done };
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
	}
};
