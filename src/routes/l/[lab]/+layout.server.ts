import type { LayoutServerLoad } from './$types';
import { guardLab } from '$lib/server/http';
import { permissionsOf } from '$lib/server/policy';

export const load: LayoutServerLoad = async (event) => {
	const ctx = await guardLab(event, 'lab.viewPublic');
	return { lab: ctx.lab, role: ctx.role, can: permissionsOf(ctx.role) };
};
