import { publicOrigin } from '$lib/server/env';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { domainFailure, guardLab, pageParam, parseForm } from '$lib/server/http';
import { can } from '$lib/server/policy';
import {
	changeRole,
	inviteMember,
	listMembers,
	listPendingInvitations,
	MEMBERS_PAGE_SIZE,
	removeMember,
	revokeInvitation
} from '$lib/server/members/members.service';
import { changeRoleSchema, invitationIdSchema, inviteSchema, memberFilterSchema, membershipIdSchema } from '$lib/shared/schemas';
import { formMessage } from '$lib/shared/forms';
import { oidcButton } from '$lib/server/auth';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'members.view');
	const filter = memberFilterSchema.parse(Object.fromEntries(event.url.searchParams));
	const page = pageParam(event.url);
	const db = getDb();
	const [members, pending] = await Promise.all([
		listMembers(db, ctx, { ...filter, page }),
		can(ctx.role, 'invitations.view') ? listPendingInvitations(db, ctx) : Promise.resolve([])
	]);
	return { members, pending, filter, page, pageSize: MEMBERS_PAGE_SIZE, me: event.locals.user?.accountId ?? null, sso: oidcButton() !== null };
};

export const actions: Actions = {
	invite: async (event) => {
		const ctx = await guardLab(event, 'members.invite');
		const parsed = await parseForm(event, inviteSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await inviteMember(getDb(), ctx, { ...parsed.data, origin: publicOrigin() });
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
		return { formId: 'invite', done: formMessage('invitation.sent', { email: parsed.data.email }) };
	},
	role: async (event) => {
		const ctx = await guardLab(event, 'members.changeRole');
		const parsed = await parseForm(event, changeRoleSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			const { name } = await changeRole(getDb(), ctx, parsed.data);
			return { formId: 'row', done: formMessage('members.roleChanged', { name, role: `role.${parsed.data.role}` }) };
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
	},
	remove: async (event) => {
		const ctx = await guardLab(event, 'members.remove');
		const parsed = await parseForm(event, membershipIdSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			const { name } = await removeMember(getDb(), ctx, parsed.data);
			return { formId: 'row', done: formMessage('members.removed', { name }) };
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
	},
	revoke: async (event) => {
		const ctx = await guardLab(event, 'invitations.revoke');
		const parsed = await parseForm(event, invitationIdSchema);
		if (!parsed.ok) return parsed.failure;
		try {
			await revokeInvitation(getDb(), ctx, parsed.data.invitationId);
			return { formId: 'row', done: formMessage('invitation.revokedDone') };
		} catch (e) {
			return domainFailure(e, parsed.values);
		}
	}
};
