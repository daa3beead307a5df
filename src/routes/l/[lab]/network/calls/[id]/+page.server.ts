import { publicOrigin } from '$lib/server/env';
import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, rethrowAsHttp } from '$lib/server/http';
import { cancelCall, getCall, sendCall } from '$lib/server/network/calls.service';
import { confirmAssignment } from '$lib/server/commands/confirm-assignment';
import { ASSIGN_ROLES, type AssignRole } from '$lib/shared/network';
import { formMessage } from '$lib/shared/forms';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'network.manage');
	try {
		return { call: await getCall(getDb(), ctx, event.params.id) };
	} catch (e) {
		rethrowAsHttp(e);
	}
};

export const actions: Actions = {
	send: async (event) => {
		const ctx = await guardLab(event, 'network.manage');
		try {
			const r = await sendCall(getDb(), ctx, event.params.id, publicOrigin());
			return {
				formId: 'send',
				done: formMessage('network.call.sent', { sent: r.sent }),
				shortfall: r.atLevel < r.needed ? { found: r.atLevel, needed: r.needed } : null
			};
		} catch (e) {
			return domainFailure(e, { formId: 'send' });
		}
	},
	assign: async (event) => {
		const ctx = await guardLab(event, 'network.manage');
		const form = await event.request.formData();
		// One select per answer: role-<referentId> = facilitator | co_facilitator | '' (not picked).
		const picks: { referentId: string; role: AssignRole; pairedWith: string | null }[] = [];
		const values: Record<string, string> = { formId: 'assign' };
		for (const [k, v] of form.entries()) {
			if (typeof v !== 'string' || !k.startsWith('role-')) continue;
			values[k] = v;
			if (!v) continue;
			if (!(ASSIGN_ROLES as readonly string[]).includes(v)) return fail(400, { values, errors: {}, message: { key: 'form.invalid' } });
			const referentId = k.slice(5);
			picks.push({ referentId, role: v as AssignRole, pairedWith: (form.get(`pair-${referentId}`) as string | null) || null });
		}
		try {
			const r = await confirmAssignment(getDb(), ctx, event.params.id, picks, publicOrigin());
			return { formId: 'assign', done: formMessage('network.call.assignedDone', { added: r.added, removed: r.removed }) };
		} catch (e) {
			return domainFailure(e, values);
		}
	},
	cancel: async (event) => {
		const ctx = await guardLab(event, 'network.manage');
		try {
			await cancelCall(getDb(), ctx, event.params.id);
			return { formId: 'cancel', done: formMessage('network.call.cancelled') };
		} catch (e) {
			return domainFailure(e, { formId: 'cancel' });
		}
	}
};
