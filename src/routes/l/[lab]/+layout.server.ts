import type { LayoutServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab } from '$lib/server/http';
import { permissionsOf } from '$lib/server/policy';
import { setLastLabCookie } from '$lib/server/cookies';
import { todoTotal, whatNeedsMe } from '$lib/server/home/todo.service';

export const load: LayoutServerLoad = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	// A member viewing their lab makes it the one login brings them back to.
	if (ctx.actor && ctx.role) setLastLabCookie(event.cookies, event.url, ctx.lab.slug);
	const todo = ctx.actor && ctx.role ? await whatNeedsMe(getDb(), ctx) : [];
	return { lab: ctx.lab, role: ctx.role, can: permissionsOf(ctx.role), todo, todoTotal: todoTotal(todo) };
};
