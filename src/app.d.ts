import type { SessionUser } from '$lib/server/auth/session';
import type { LabContext } from '$lib/server/labs/labs.service';
import type { Locale } from '$lib/shared/roles';

declare global {
	namespace App {
		interface Error {
			/** A message key, translated by the error page. */
			message: string;
			errorId: string;
		}
		interface Locals {
			user: SessionUser | null;
			locale: Locale;
			labContexts: Map<string, Promise<LabContext>>;
		}
		interface PageData {
			locale: Locale;
		}
	}
}

export {};
