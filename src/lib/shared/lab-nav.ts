/**
 * The lab workspace's navigation: a few sections, each grouping pages. What a person sees follows
 * their rights: a page they may not open is left out, a section with no page left is hidden, and a
 * section with a single page is a plain link to it. Labels are i18n catalogue keys.
 */
import type { MessageKey } from '$lib/i18n';

export interface LabNavPage {
	href: string;
	label: MessageKey;
	current: boolean;
}

export interface LabNavSection {
	id: string;
	/** The section's label, or its only page's label when it has just one. */
	label: MessageKey;
	/** The section's first page. */
	href: string;
	current: boolean;
	/** Pages shown as a second row when the section is current (empty for a plain link). */
	pages: LabNavPage[];
	/** Administration sits apart, at the end. */
	admin: boolean;
}

interface PageDef {
	path: string;
	label: MessageKey;
	/** Label of the section's plain link when this page is the only one shown. */
	alone?: MessageKey;
	/** The right needed to see the link (always shown without one). */
	right?: string;
}

const SECTIONS: { id: string; label: MessageKey; admin?: boolean; pages: PageDef[] }[] = [
	{ id: 'home', label: 'nav.home', pages: [{ path: '', label: 'nav.home' }] },
	{
		id: 'workshops',
		label: 'nav.section.workshops',
		pages: [
			{ path: '/events', label: 'nav.events', right: 'events.view' },
			{ path: '/knowledge', label: 'nav.knowledge', right: 'knowledge.view' }
		]
	},
	{
		id: 'experiments',
		label: 'nav.experiments',
		pages: [
			{ path: '/experiments', label: 'nav.portfolio', alone: 'nav.experiments', right: 'experiments.view' },
			{ path: '/specs', label: 'nav.specs', right: 'specs.view' },
			{ path: '/fund', label: 'nav.fund', right: 'fund.view' }
		]
	},
	{ id: 'network', label: 'nav.network', pages: [{ path: '/network', label: 'nav.network', right: 'network.join' }] },
	{ id: 'journal', label: 'nav.journal', pages: [{ path: '/journal', label: 'nav.journal' }] },
	{ id: 'search', label: 'nav.search', pages: [{ path: '/search', label: 'nav.search', right: 'search.use' }] },
	{
		id: 'admin',
		label: 'nav.section.admin',
		admin: true,
		pages: [
			{ path: '/members', label: 'nav.members', right: 'members.view' },
			{ path: '/audit', label: 'nav.audit', right: 'audit.view' },
			{ path: '/outbox', label: 'nav.outbox', right: 'outbox.view' }
		]
	}
];

/** The sections a person sees in the lab at `base` (`/l/slug`), with the current one marked. */
export function labNav(base: string, can: Partial<Record<string, boolean>>, pathname: string): LabNavSection[] {
	const isCurrent = (href: string) => (href === base ? pathname === base : pathname === href || pathname.startsWith(`${href}/`));
	const sections: LabNavSection[] = [];
	for (const s of SECTIONS) {
		const defs = s.pages.filter((p) => !p.right || can[p.right]);
		const [first] = defs;
		if (!first) continue;
		const pages = defs.map((p) => ({ href: base + p.path, label: p.label, current: isCurrent(base + p.path) }));
		sections.push({
			id: s.id,
			label: defs.length === 1 ? (first.alone ?? first.label) : s.label,
			href: base + first.path,
			current: pages.some((p) => p.current),
			pages: defs.length === 1 ? [] : pages,
			admin: Boolean(s.admin)
		});
	}
	return sections;
}
