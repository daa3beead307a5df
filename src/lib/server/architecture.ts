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
		role: "Operations that span domains, one file and one transaction each (verb-noun), calling the domains' functions; owns no table",
		owns: []
	},
	auth: {
		kind: 'domain',
		role: 'Identity and credentials: people, accounts, login sessions, password resets, known devices, single sign-on identities',
		owns: ['person', 'account', 'session', 'password_reset', 'account_identity', 'sso_session']
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
	members: {
		kind: 'domain',
		role: 'Lab membership: roles, invitations, e-mail domains allowed to join',
		owns: ['membership', 'invitation', 'lab_join_domain']
	},
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
	publiccache: {
		kind: 'platform',
		role: "Each lab's public content version, moved by every write that changes its public site, and the cache of rendered public pages kept against it",
		owns: ['content_version']
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
export const dynamicTables: readonly { file: string; expr: string; tables: readonly string[] }[] = [];

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
export const knownCrossings: readonly Crossing[] = [];

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
export const knownImports: readonly ImportCrossing[] = [];

/**
 * BASELINE b — route files that use the database layer beyond `getDb` (the handle a route passes
 * to a service) or build queries. `what` is the imported name and module, or "builds queries (…)".
 */
export const knownRouteDb: readonly { file: string; what: string }[] = [
	// Empty: keep it so. (The last one, the network invitation's transaction, moved into
	// network/invitations.ts joinByInvitation.)
];
