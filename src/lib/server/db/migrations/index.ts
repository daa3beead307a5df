import type { Migration } from 'kysely';
import * as m001 from './001_foundation';
import * as m002 from './002_knowledge_events_search';
import * as m003 from './003_fund';
import * as m004 from './004_commissioning';
import * as m005 from './005_network';
import * as m006 from './006_sessions';
import * as m007 from './007_journal';
import * as m008 from './008_installation';
import * as m009 from './009_hashed_tokens';
import * as m010 from './010_installation_admin';
import * as m011 from './011_event_cancel';
import * as m012 from './012_team';
import * as m013 from './013_jobs';
import * as m014 from './014_content_version';
import * as m015 from './015_oidc';
import * as m016 from './016_open_data';

/** Every migration, in order. Static imports so the built server and the CLI share one list. */
export const migrations: Record<string, Migration> = {
	'001_foundation': m001,
	'002_knowledge_events_search': m002,
	'003_fund': m003,
	'004_commissioning': m004,
	'005_network': m005,
	'006_sessions': m006,
	'007_journal': m007,
	'008_installation': m008,
	'009_hashed_tokens': m009,
	'010_installation_admin': m010,
	'011_event_cancel': m011,
	'012_team': m012,
	'013_jobs': m013,
	'014_content_version': m014,
	'015_oidc': m015,
	'016_open_data': m016
};
