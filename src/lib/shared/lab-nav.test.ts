import { describe, expect, it } from 'vitest';
import { labNav } from './lab-nav';
import { permissionsOf } from '$lib/server/policy';
import type { Role } from './roles';

const base = '/l/paca';
const shape = (role: Role | null, path = base) =>
	labNav(base, permissionsOf(role), path).map((s) => [s.label, s.href.slice(base.length) || '/', s.pages.map((p) => p.label)]);

describe('labNav', () => {
	it('groups a coordinator’s pages into sections, administration last', () => {
		expect(shape('coordinator')).toEqual([
			['nav.home', '/', []],
			['nav.section.workshops', '/events', ['nav.events', 'nav.knowledge']],
			['nav.experiments', '/experiments', ['nav.portfolio', 'nav.specs', 'nav.fund']],
			['nav.network', '/network', []],
			['nav.journal', '/journal', []],
			['nav.search', '/search', []],
			['nav.section.admin', '/members', ['nav.members', 'nav.audit', 'nav.outbox']]
		]);
		expect(labNav(base, permissionsOf('coordinator'), base).map((s) => s.admin)).toEqual([false, false, false, false, false, false, true]);
	});

	it('leaves out what a role may not open; a section left with one page is a plain link to it', () => {
		expect(shape('referent')).toEqual([
			['nav.home', '/', []],
			['nav.section.workshops', '/events', ['nav.events', 'nav.knowledge']],
			['nav.experiments', '/experiments', []],
			['nav.network', '/network', []],
			['nav.journal', '/journal', []],
			['nav.search', '/search', []],
			['nav.members', '/members', []]
		]);
		expect(shape('partner')).toEqual([
			['nav.home', '/', []],
			['nav.knowledge', '/knowledge', []],
			['nav.experiments', '/experiments', []],
			['nav.network', '/network', []],
			['nav.journal', '/journal', []],
			['nav.search', '/search', []]
		]);
		expect(shape(null)).toEqual([
			['nav.home', '/', []],
			['nav.journal', '/journal', []]
		]);
	});

	it('marks the current section and page, and nothing else', () => {
		const current = (path: string) =>
			labNav(base, permissionsOf('coordinator'), path).flatMap((s) => [
				...(s.current ? [s.label] : []),
				...s.pages.filter((p) => p.current).map((p) => p.label)
			]);
		expect(current(base)).toEqual(['nav.home']);
		expect(current(`${base}/fund/ledger`)).toEqual(['nav.experiments', 'nav.fund']);
		expect(current(`${base}/knowledge`)).toEqual(['nav.section.workshops', 'nav.knowledge']);
		expect(current(`${base}/audit`)).toEqual(['nav.section.admin', 'nav.audit']);
		expect(current(`${base}/journal/un-billet`)).toEqual(['nav.journal']);
		// A path that only begins like a page's is not that page.
		expect(current(`${base}/fundraising`)).toEqual([]);
		expect(current('/l/paca2')).toEqual([]);
	});
});
