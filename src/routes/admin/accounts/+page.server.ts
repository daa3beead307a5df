import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, pageParam, parseForm } from '$lib/server/http';
import { guardInstallation } from '$lib/server/installation/guard';
import { ACCOUNTS_PAGE_SIZE, disableAccount, enableAccount, listAccounts } from '$lib/server/installation/installation.service';
import { accountFilterSchema, accountIdSchema } from '$lib/shared/installation';
import { formMessage } from '$lib/shared/forms';

export const load: PageServerLoad = async (event) => {
	const user = guardInstallation(event);
	const filter = accountFilterSchema.parse(Object.fromEntries(event.url.searchParams));
	const page = pageParam(event.url);
	const accounts = await listAccounts(getDb(), user, { ...filter, page });
	return { accounts, filter, page, pageSize: ACCOUNTS_PAGE_SIZE, me: user.accountId };
};

export const actions: Actions = {
	disable: async (event) => {
		const user = guardInstallation(event);
		const parsed = await parseForm(event, accountIdSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			const { name } = await disableAccount(getDb(), user, parsed.data);
			return { done: formMessage('installation.disabled', { name }) };
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
	},
	enable: async (event) => {
		const user = guardInstallation(event);
		const parsed = await parseForm(event, accountIdSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			const { name } = await enableAccount(getDb(), user, parsed.data);
			return { done: formMessage('installation.enabled', { name }) };
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
	}
};
