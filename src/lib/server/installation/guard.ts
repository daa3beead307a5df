import type { RequestEvent } from '@sveltejs/kit';
import { httpError, requireUser } from '../http';
import { canAdministerInstallation } from '../policy';
import type { SessionUser } from '../auth';

/**
 * The installation area's gate, for every load and action under /admin: anonymous visitors
 * are sent to log in (as on any other page); signed-in non-administrators get a 404, so the
 * area is not shown to exist to them. The services check the policy again.
 */
export function guardInstallation(event: RequestEvent): SessionUser {
	const user = requireUser(event);
	if (!canAdministerInstallation(user)) httpError(404, 'error.notFound');
	return user;
}
