import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { changePassword, updateProfile } from '$lib/server/auth/auth.service';
import { domainFailure, parseForm, requireUser } from '$lib/server/http';
import { readSessionCookie } from '$lib/server/cookies';
import { changePasswordSchema, profileSchema } from '$lib/shared/schemas';
import type { MessageKey } from '$lib/i18n';
import { identitiesOf, oidcButton } from '$lib/server/auth';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const button = oidcButton();
	const sso = button ? { label: button.label, identities: await identitiesOf(getDb(), user.accountId) } : null;
	return { profile: { name: user.name, email: user.email, organisation: user.organisation ?? '', locale: user.locale }, sso };
};

export const actions: Actions = {
	profile: async (event) => {
		const user = requireUser(event);
		const parsed = await parseForm(event, profileSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await updateProfile(getDb(), user.accountId, parsed.data);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		// The choice made here wins over an earlier language switch.
		event.cookies.delete('labo_locale', { path: '/' });
		return { formId: 'profile', saved: 'profile.saved' satisfies MessageKey };
	},
	password: async (event) => {
		const user = requireUser(event);
		const parsed = await parseForm(event, changePasswordSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			const current = readSessionCookie(event.cookies, event.url);
			await changePassword(getDb(), user.accountId, { current: parsed.data.current, next: parsed.data.password }, current);
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		return { formId: 'password', saved: 'profile.passwordChanged' satisfies MessageKey };
	}
};
