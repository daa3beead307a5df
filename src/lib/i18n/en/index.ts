import type { MessageKey } from '../fr';
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

/** The English catalogue, one file per domain; each file has exactly the keys of its French twin. */
export const en = {
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
} satisfies Record<MessageKey, string>;
