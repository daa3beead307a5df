import { describe, expect, it } from 'vitest';
import { loadCatalog, translate } from './index';

// This file imports `$lib/i18n` as the browser does: without `$lib/server/i18n`, which holds every catalogue.
describe('the English catalogue is loaded only when chosen', () => {
	it('is absent until a page in English asks for it, then translates', async () => {
		expect(translate('fr', 'common.yes')).toBe('oui');
		// Not loaded yet: French rather than a raw key.
		expect(translate('en', 'common.yes')).toBe('oui');
		await loadCatalog('fr');
		expect(translate('en', 'common.yes')).toBe('oui');
		await loadCatalog('en');
		expect(translate('en', 'common.yes')).toBe('yes');
		expect(translate('en', 'members.count', { count: 1234 })).toBe('1,234 members');
	});
});
