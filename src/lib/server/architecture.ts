/**
 * The ownership map of the server code: which folder of src/lib/server is which domain, and the
 * tables each domain owns. Every table of the schema (src/lib/server/db/schema.ts, plus the
 * SQLite full-text table created by the migrations) has exactly one owner. A domain reads and
 * writes its own tables; it reaches another domain's data through that domain's functions.
 *
 * tests/architecture/boundaries.test.ts keeps this file true: it scans the sources and fails on
 * a query naming another domain's table, a route building queries, server code reachable from
 * the browser, or a domain importing another's internals — unless the case is listed in the
 * baselines at the end of this file. The baselines record what exists today; they may only
 * shrink (an entry that no longer occurs fails the test too). docs/architecture.md explains the
 * layers and the plan; docs/decisions/012-domain-boundaries.md why.
 *
 * Data only: nothing here is imported by the application.
 */

export type Access = 'read' | 'write';

export interface DomainSpec {
	/** One line: what the domain is responsible for. */
	role: string;
	/** Tables this domain owns: the only domain that may name them in a query. */
	owns: readonly string[];
	/**
	 * domain: business code, boundaries checked. platform: shared code any domain may import
	 * (file by file); its queries are still checked. seed: the demo loader, exempt from the
	 * ownership and import rules (it writes every table by nature, through services where it can).
	 */
	kind: 'domain' | 'platform' | 'seed';
}

/**
 * Folder under src/lib/server → domain. `core` stands for the files directly in
 * src/lib/server (errors, env, log, http, cookies, csv, health, metrics, secret, …).
 * The migrations (src/lib/server/db/migrations) create and change every table: they are exempt.
 */
export const DOMAINS = {
	audit: { kind: 'domain', role: 'Append-only audit trail of every write', owns: ['audit_entry'] },
	commands: {
		kind: 'domain',
		role: 'Operations that span domains, one file and one transaction each (verb-noun), calling the domains\' functions; owns no table',
		owns: []
	},
	auth: {
		kind: 'domain',
		role: 'Identity and credentials: people, accounts, login sessions, password resets, known devices',
		owns: ['person', 'account', 'session', 'password_reset']
	},
	events: {
		kind: 'domain',
		role: 'Lab events: agenda, participants, decisions, outputs, calendar feeds',
		owns: ['event', 'event_participant', 'event_decision', 'calendar_token']
	},
	experiments: {
		kind: 'domain',
		role: 'Experiments: status, milestones, team, roles, tests and lessons',
		owns: ['experiment', 'experiment_status_change', 'experiment_milestone', 'experiment_role', 'experiment_test', 'experiment_member']
	},
	files: { kind: 'domain', role: 'Stored files (attachments, journal images) and their bytes', owns: ['file'] },
	fund: {
		kind: 'domain',
		role: 'Innovation fund: envelopes, funding requests, committee, append-only ledger',
		owns: ['fund', 'fund_committee', 'envelope', 'funding_request', 'funding_request_line', 'funding_request_comment', 'ledger_entry', 'envelope_total']
	},
	home: { kind: 'domain', role: 'Landing page and "what needs me" list: a read model over other domains', owns: [] },
	installation: {
		kind: 'domain',
		role: 'The installation as a whole: its administrators, labs overview, settings and secret',
		owns: ['install_setting']
	},
	journal: {
		kind: 'domain',
		role: 'Public journal: posts, comments and moderation, feeds, redirects, WordPress import',
		owns: ['post', 'post_author', 'post_tag', 'comment', 'redirect', 'journal_notify']
	},
	knowledge: { kind: 'domain', role: 'Knowledge base: versioned items and their tags', owns: ['knowledge_item', 'knowledge_version', 'tag'] },
	labs: { kind: 'domain', role: 'Labs, lab context (who is who in which lab), lab settings', owns: ['lab'] },
	links: { kind: 'domain', role: 'Inline [[references]] between records and their backlinks', owns: ['link'] },
	mail: { kind: 'domain', role: 'Outgoing mail: templates, outbox and its worker', owns: ['outbox_message'] },
	members: { kind: 'domain', role: 'Lab membership: roles, invitations', owns: ['membership', 'invitation'] },
	network: {
		kind: 'domain',
		role: 'Network of referents: skills, availability, calls for referents and their assignments',
		owns: [
			'network_skill',
			'referent',
			'referent_skill',
			'referent_unavailable',
			'referent_link',
			'network_invitation',
			'network_call',
			'call_answer',
			'call_assignment'
		]
	},
	opendata: {
		kind: 'domain',
		role: 'Open data the law asks for: the grants file (SCDL subventions) prepared from the fund, published snapshots',
		owns: ['open_data_file']
	},
	ratelimit: { kind: 'domain', role: 'Fixed-window rate limits and login cool-downs', owns: ['rate_limit'] },
	search: { kind: 'domain', role: 'Full-text search index and visibility filter', owns: ['search_document', 'search_fts'] },
	sessions: {
		kind: 'domain',
		role: 'Working sessions of an event: participants, attributes, group plans (not login sessions: see auth)',
		owns: ['session_participant', 'group_attribute', 'group_session', 'group_plan', 'group_member', 'group_facilitator', 'group_output']
	},
	specs: { kind: 'domain', role: 'Specifications (cahiers des charges): versions, diff, export', owns: ['specification', 'specification_version'] },
	db: {
		kind: 'platform',
		role: 'Connection, dialects, migrations, schema types, transaction helper',
		owns: []
	},
	jobs: {
		kind: 'platform',
		role: 'Durable background work: jobs claimed under a lease by any server, retries, periodic ticks run once per period',
		owns: ['import_job', 'job_tick']
	},
	policy: { kind: 'platform', role: 'Roles and permissions: can(), authorize(); record scopes (policy/scopes.ts)', owns: [] },
	markdown: { kind: 'platform', role: 'Markdown rendering and [[reference]] parsing (pure)', owns: [] },
	core: { kind: 'platform', role: 'Files directly in src/lib/server: errors, env, log, http, cookies, csv, health, metrics, secret', owns: [] },
	demo: { kind: 'seed', role: 'The demo data loaded by `npm start` into an empty database', owns: [] }
} as const satisfies Record<string, DomainSpec>;

export type DomainName = keyof typeof DOMAINS;

/** A domain's public entry: `src/lib/server/<domain>/index.ts`. Importing it is always allowed. */
export const PUBLIC_ENTRY = 'index';

/** Route files may import only these names from $lib/server/db: the handle they pass to services. */
export const ROUTE_DB_ALLOWED = ['getDb'] as const;

/**
 * Builder calls whose table is chosen at run time and that the scanner cannot resolve from the
 * file itself: the tables they may name, checked like the others.
 */
export const dynamicTables: readonly { file: string; expr: string; tables: readonly string[] }[] = [
	// getKnowledge shows the item's source, an event or an experiment.
	{ file: 'src/lib/server/knowledge/knowledge.service.ts', expr: 'item.source_type', tables: ['event', 'experiment'] }
];

/**
 * Tables that say who is who (auth's person/account, members' membership, labs' lab). Joining
 * them for a name or a role is still a crossing, but the summary counts it apart from the
 * business tables.
 */
export const IDENTITY_TABLES = ['lab', 'person', 'account', 'membership'] as const;

export interface Crossing {
	domain: string;
	table: string;
	access: Access;
	/** Relative to src/lib/server. */
	file: string;
}

/**
 * BASELINE a — queries naming a table another domain owns, as of the map's creation: one entry
 * per domain, table, read or write, and file (several queries of one file count once). The
 * test fails on a crossing not listed here, and on an entry that no longer occurs: remove it
 * when you move the query behind the owner's function. docs/architecture.md has the plan.
 */
export const knownCrossings: readonly Crossing[] = [
	// audit: the trail shows who acted (identity join for display names).
	{ domain: 'audit', table: 'account', access: 'read', file: 'audit/audit.service.ts' },
	{ domain: 'audit', table: 'person', access: 'read', file: 'audit/audit.service.ts' },
	// experiments: lineage (an event), related knowledge, team names — plan: events.getTitle(), knowledge.itemsOfSource(), auth/members for names.
	{ domain: 'experiments', table: 'account', access: 'read', file: 'experiments/experiments.service.ts' },
	{ domain: 'experiments', table: 'event', access: 'read', file: 'experiments/experiments.service.ts' },
	{ domain: 'experiments', table: 'knowledge_item', access: 'read', file: 'experiments/experiments.service.ts' },
	{ domain: 'experiments', table: 'membership', access: 'read', file: 'experiments/experiments.service.ts' },
	{ domain: 'experiments', table: 'person', access: 'read', file: 'experiments/experiments.service.ts' },
	// fund: a request names its experiment and checks its team; attachments — plan: experiments.summaryOf()/isTeamMember(), files.listFor().
	{ domain: 'fund', table: 'account', access: 'read', file: 'fund/fund.service.ts' },
	{ domain: 'fund', table: 'experiment', access: 'read', file: 'fund/fund.service.ts' },
	{ domain: 'fund', table: 'experiment_member', access: 'read', file: 'fund/fund.service.ts' },
	{ domain: 'fund', table: 'file', access: 'read', file: 'fund/fund.service.ts' },
	{ domain: 'fund', table: 'person', access: 'read', file: 'fund/fund.service.ts' },
	// home: the "what needs me" list reads every domain (a read model) — plan: each domain exposes a todo query that home composes.
	{ domain: 'home', table: 'call_answer', access: 'read', file: 'home/todo.service.ts' },
	{ domain: 'home', table: 'call_assignment', access: 'read', file: 'home/todo.service.ts' },
	{ domain: 'home', table: 'comment', access: 'read', file: 'home/todo.service.ts' },
	{ domain: 'home', table: 'envelope', access: 'read', file: 'home/todo.service.ts' },
	{ domain: 'home', table: 'event', access: 'read', file: 'home/todo.service.ts' },
	{ domain: 'home', table: 'experiment', access: 'read', file: 'home/todo.service.ts' },
	{ domain: 'home', table: 'experiment_milestone', access: 'read', file: 'home/todo.service.ts' },
	{ domain: 'home', table: 'fund', access: 'read', file: 'home/todo.service.ts' },
	{ domain: 'home', table: 'fund_committee', access: 'read', file: 'home/todo.service.ts' },
	{ domain: 'home', table: 'funding_request', access: 'read', file: 'home/todo.service.ts' },
	{ domain: 'home', table: 'import_job', access: 'read', file: 'home/todo.service.ts' },
	{ domain: 'home', table: 'invitation', access: 'read', file: 'home/todo.service.ts' },
	{ domain: 'home', table: 'network_call', access: 'read', file: 'home/todo.service.ts' },
	{ domain: 'home', table: 'outbox_message', access: 'read', file: 'home/todo.service.ts' },
	{ domain: 'home', table: 'post', access: 'read', file: 'home/todo.service.ts' },
	{ domain: 'home', table: 'referent', access: 'read', file: 'home/todo.service.ts' },
	{ domain: 'home', table: 'specification', access: 'read', file: 'home/todo.service.ts' },
	// installation: the administrators' overview counts every lab's records and disables accounts — plan: counts from each domain, auth.disableAccount().
	{ domain: 'installation', table: 'account', access: 'read', file: 'installation/installation.service.ts' },
	{ domain: 'installation', table: 'account', access: 'write', file: 'installation/installation.service.ts' },
	{ domain: 'installation', table: 'audit_entry', access: 'read', file: 'installation/installation.service.ts' },
	{ domain: 'installation', table: 'event', access: 'read', file: 'installation/installation.service.ts' },
	{ domain: 'installation', table: 'experiment', access: 'read', file: 'installation/installation.service.ts' },
	{ domain: 'installation', table: 'invitation', access: 'read', file: 'installation/installation.service.ts' },
	{ domain: 'installation', table: 'lab', access: 'read', file: 'installation/installation.service.ts' },
	{ domain: 'installation', table: 'membership', access: 'read', file: 'installation/installation.service.ts' },
	{ domain: 'installation', table: 'membership', access: 'write', file: 'installation/installation.service.ts' },
	{ domain: 'installation', table: 'password_reset', access: 'write', file: 'installation/installation.service.ts' },
	{ domain: 'installation', table: 'person', access: 'read', file: 'installation/installation.service.ts' },
	{ domain: 'installation', table: 'post', access: 'read', file: 'installation/installation.service.ts' },
	// journal: the public site shows experiments and knowledge, publishes experiments (a write), stores images in file rows, runs the WordPress import job — plan: experiments.setPublished(), files.storeImage(), db/jobs for the job rows.
	{ domain: 'journal', table: 'account', access: 'read', file: 'journal/posts.service.ts' },
	{ domain: 'journal', table: 'experiment', access: 'read', file: 'journal/cache.ts' },
	{ domain: 'journal', table: 'experiment', access: 'read', file: 'journal/posts.service.ts' },
	{ domain: 'journal', table: 'experiment', access: 'read', file: 'journal/public-site.ts' },
	{ domain: 'journal', table: 'experiment', access: 'write', file: 'journal/public-site.ts' },
	{ domain: 'journal', table: 'file', access: 'read', file: 'journal/images.ts' },
	{ domain: 'journal', table: 'file', access: 'write', file: 'journal/images.ts' },
	{ domain: 'journal', table: 'funding_request', access: 'read', file: 'journal/cache.ts' },
	{ domain: 'journal', table: 'knowledge_item', access: 'read', file: 'journal/cache.ts' },
	{ domain: 'journal', table: 'knowledge_item', access: 'read', file: 'journal/posts.service.ts' },
	{ domain: 'journal', table: 'knowledge_item', access: 'read', file: 'journal/public-site.ts' },
	{ domain: 'journal', table: 'lab', access: 'read', file: 'journal/cache.ts' },
	{ domain: 'journal', table: 'lab', access: 'read', file: 'journal/redirects.ts' },
	{ domain: 'journal', table: 'link', access: 'read', file: 'journal/posts.service.ts' },
	{ domain: 'journal', table: 'membership', access: 'read', file: 'journal/posts.service.ts' },
	{ domain: 'journal', table: 'person', access: 'read', file: 'journal/posts.service.ts' },
	{ domain: 'journal', table: 'account', access: 'read', file: 'journal/comments/digests.ts' },
	{ domain: 'journal', table: 'account', access: 'read', file: 'journal/comments/posting.ts' },
	{ domain: 'journal', table: 'account', access: 'read', file: 'journal/comments/thread.ts' },
	{ domain: 'journal', table: 'account', access: 'read', file: 'journal/wordpress/import.ts' },
	{ domain: 'journal', table: 'import_job', access: 'read', file: 'journal/wordpress/job.ts' },
	{ domain: 'journal', table: 'lab', access: 'read', file: 'journal/comments/digests.ts' },
	{ domain: 'journal', table: 'membership', access: 'read', file: 'journal/comments/digests.ts' },
	{ domain: 'journal', table: 'membership', access: 'read', file: 'journal/comments/posting.ts' },
	{ domain: 'journal', table: 'membership', access: 'read', file: 'journal/comments/thread.ts' },
	{ domain: 'journal', table: 'membership', access: 'read', file: 'journal/wordpress/import.ts' },
	{ domain: 'journal', table: 'person', access: 'read', file: 'journal/wordpress/import.ts' },
	// knowledge: a knowledge item shows its source (an event or an experiment) — plan: events/experiments.titleOf().
	{ domain: 'knowledge', table: 'account', access: 'read', file: 'knowledge/knowledge.service.ts' },
	{ domain: 'knowledge', table: 'event', access: 'read', file: 'knowledge/knowledge.service.ts' },
	{ domain: 'knowledge', table: 'experiment', access: 'read', file: 'knowledge/knowledge.service.ts' },
	{ domain: 'knowledge', table: 'person', access: 'read', file: 'knowledge/knowledge.service.ts' },
	// labs: the lab context reads memberships (and writes one when a lab is created); pending invitations and mail counts on the lab page — plan: members.roleOf(), members.addMembership().
	{ domain: 'labs', table: 'invitation', access: 'read', file: 'labs/labs.service.ts' },
	{ domain: 'labs', table: 'membership', access: 'read', file: 'labs/labs.service.ts' },
	{ domain: 'labs', table: 'membership', access: 'write', file: 'labs/labs.service.ts' },
	{ domain: 'labs', table: 'outbox_message', access: 'read', file: 'labs/labs.service.ts' },
	// links: resolves [[references]] to titles in four domains — plan: a title lookup per linkable domain.
	{ domain: 'links', table: 'event', access: 'read', file: 'links/links.service.ts' },
	{ domain: 'links', table: 'experiment', access: 'read', file: 'links/links.service.ts' },
	{ domain: 'links', table: 'knowledge_item', access: 'read', file: 'links/links.service.ts' },
	{ domain: 'links', table: 'post', access: 'read', file: 'links/links.service.ts' },
	// members: the member list joins identity tables (auth) and the lab.
	{ domain: 'members', table: 'account', access: 'read', file: 'members/members.service.ts' },
	{ domain: 'members', table: 'lab', access: 'read', file: 'members/members.service.ts' },
	{ domain: 'members', table: 'person', access: 'read', file: 'members/members.service.ts' },
	// specs: a specification is written for an experiment and its award is granted from an envelope — plan: experiments.summaryOf(), fund.grantedForExperiment() and fund.envelopeOf().
	{ domain: 'specs', table: 'account', access: 'read', file: 'specs/specs.service.ts' },
	{ domain: 'specs', table: 'experiment', access: 'read', file: 'specs/specs.service.ts' },
	{ domain: 'specs', table: 'experiment_role', access: 'read', file: 'specs/specs.service.ts' },
	{ domain: 'specs', table: 'ledger_entry', access: 'read', file: 'specs/specs.service.ts' },
	{ domain: 'specs', table: 'person', access: 'read', file: 'specs/specs.service.ts' },
];

/** Relative to src/lib/server; `names` are the imported names (`type X` for a type-only import). */
export interface ImportCrossing {
	from: string;
	module: string;
	names: readonly string[];
}

/**
 * BASELINE d — imports of another domain's files (no domain has a public index.ts yet), as of
 * the map's creation. Importing `<domain>/index.ts` is always allowed; anything else must be
 * listed here, name by name. Platform folders (db, policy, markdown, core) are free to import.
 * When a domain gets its index.ts, move its importers to it and delete their entries.
 */
export const knownImports: readonly ImportCrossing[] = [
];

/**
 * BASELINE b — route files that use the database layer beyond `getDb` (the handle a route passes
 * to a service) or build queries. `what` is the imported name and module, or "builds queries (…)".
 */
export const knownRouteDb: readonly { file: string; what: string }[] = [
	// Empty: keep it so. (The last one, the network invitation's transaction, moved into
	// network/invitations.ts joinByInvitation.)
];
