import { loadCatalog } from '$lib/i18n';
import type { LayoutLoad } from './$types';

/** The page's catalogue is ready before it renders: a French page never fetches the English one. */
export const load: LayoutLoad = async ({ data }) => {
	await loadCatalog(data.locale);
	return data;
};
