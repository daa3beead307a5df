import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/db';
import { guardLab, pageParam } from '$lib/server/http';
import { AUDIT_PAGE_SIZE, listAudit } from '$lib/server/audit/audit.service';
import { auditFilterSchema } from '$lib/shared/schemas';

export const load: PageServerLoad = async (event) => {
	const ctx = await guardLab(event, 'audit.view');
	const filter = auditFilterSchema.parse(Object.fromEntries(event.url.searchParams));
	const page = pageParam(event.url);
	const result = await listAudit(getDb(), ctx, { ...filter, page });
	return { ...result, filter, page, pageSize: AUDIT_PAGE_SIZE };
};
