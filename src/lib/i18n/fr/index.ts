import { common } from './common';
import { auth } from './auth';
import { admin } from './admin';
import { events } from './events';
import { experiments } from './experiments';
import { fund } from './fund';
import { journal } from './journal';
import { knowledge } from './knowledge';
import { network } from './network';
import { opendata } from './opendata';
import { session } from './session';
import { specs } from './specs';

/** The French catalogue, one file per domain: the source of every UI string. English must have the same keys. */
export const fr = {
	...common,
	...auth,
	...admin,
	...events,
	...experiments,
	...fund,
	...journal,
	...knowledge,
	...network,
	...opendata,
	...session,
	...specs
} as const;

export type MessageKey = keyof typeof fr;
