import type { Migration } from 'kysely';
import * as m001 from './001_foundation';

/** Every migration, in order. Static imports so the built server and the CLI share one list. */
export const migrations: Record<string, Migration> = {
	'001_foundation': m001
};
