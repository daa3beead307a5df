import { z } from 'zod';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, parseForm } from '$lib/server/http';
import { listSkills, saveSkills } from '$lib/server/network/network.service';
import { formMessage } from '$lib/shared/forms';

const skillsSchema = z.object({ skills: z.string().max(10_000) });

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'network.manage');
	return { skills: await listSkills(getDb(), ctx.lab.id) };
};

export const actions: Actions = {
	default: async (event) => {
		const ctx = await guardLab(event, 'network.manage');
		const parsed = await parseForm(event, skillsSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await saveSkills(getDb(), ctx, parsed.data.skills.split(/\r?\n/));
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		return { done: formMessage('network.skills.saved') };
	}
};
