import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { checkResetToken, resetPassword } from '$lib/server/auth/auth.service';
import { DomainError } from '$lib/server/errors';
import { domainFailure, parseForm } from '$lib/server/http';
import { readDeviceCookie, setDeviceCookie } from '$lib/server/cookies';
import { newPasswordSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async ({ params }) => {
	try {
		await checkResetToken(getDb(), params.token);
		return { problem: null };
	} catch (e) {
		if (e instanceof DomainError) return { problem: e.code };
		throw e;
	}
};

export const actions: Actions = {
	default: async (event) => {
		const parsed = await parseForm(event, newPasswordSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			const { device } = await resetPassword(getDb(), event.params.token, parsed.data.password, readDeviceCookie(event.cookies, event.url));
			setDeviceCookie(event.cookies, event.url, device.token, device.expiresAt);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		redirect(303, '/login?reset');
	}
};
