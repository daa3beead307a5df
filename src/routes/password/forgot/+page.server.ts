import { publicOrigin } from '$lib/server/env';
import type { Actions } from './$types';
import { getDb } from '$lib/server/db';
import { requestPasswordReset } from '$lib/server/auth/auth.service';
import { domainFailure, parseForm } from '$lib/server/http';
import { forgotSchema } from '$lib/shared/schemas';

export const actions: Actions = {
	default: async (event) => {
		const parsed = await parseForm(event, forgotSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await requestPasswordReset(getDb(), { email: parsed.data.email, origin: publicOrigin(), ip: event.getClientAddress() });
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		return { sent: true };
	}
};
