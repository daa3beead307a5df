import type { LayoutServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { membershipsOf } from '$lib/server/labs/labs.service';

export const load: LayoutServerLoad = async ({ locals }) => {
	const user = locals.user;
	return {
		locale: locals.locale,
		user: user ? { name: user.name, email: user.email, isAdmin: user.isAdmin } : null,
		myLabs: user ? (await membershipsOf(getDb(), user.accountId)).map((l) => ({ slug: l.slug, name: l.name, role: l.role })) : []
	};
};
