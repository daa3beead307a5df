import path from 'node:path';
import { z } from 'zod';

const schema = z.object({
	DATABASE_URL: z
		.string()
		.regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// (leave it unset for SQLite)')
		.optional(),
	DATA_DIR: z.string().min(1).default('data'),
	SMTP_URL: z
		.string()
		.regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://')
		.optional(),
	MAIL_FROM: z.string().min(3).default('Labo <ne-pas-repondre@labo.localhost>'),
	LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
	NODE_ENV: z.string().default('development'),
	/** Set behind a TLS-terminating proxy so cookies get the Secure flag. */
	ORIGIN: z.string().url().optional(),
	/** Keys the journal's hashes and links; without it the secret stored in the database is used. */
	LABO_SECRET: z.string().min(16, 'LABO_SECRET must be at least 16 characters').optional(),
	/** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`. */
	METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
	/** Memory for rendered public pages kept for anonymous visitors, in MiB; 0 turns the cache off. */
	LABO_PAGE_CACHE_MB: z.coerce.number().int('LABO_PAGE_CACHE_MB must be a whole number of MiB').min(0).max(16384).default(64),
	/** Single sign-on (docs/decisions/016-single-sign-on.md): the OpenID Provider's issuer, for discovery. */
	OIDC_ISSUER: z.string().url('OIDC_ISSUER must be a URL (the issuer, for discovery)').optional(),
	OIDC_CLIENT_ID: z.string().min(1).optional(),
	OIDC_CLIENT_SECRET: z.string().min(1).optional(),
	OIDC_SCOPES: z.string().min(1).default('openid email profile'),
	/** The sign-in button's text, e.g. "ProConnect". */
	OIDC_LABEL: z.string().min(1).max(60).default('SSO'),
	/** Space-separated `acr` values to ask for; the ID token's `acr` must then be one of them. */
	OIDC_ACR_VALUES: z.string().min(1).optional(),
	/** `true` for providers that vouch for every e-mail without an `email_verified` claim (ProConnect). */
	OIDC_TRUST_EMAIL: z.enum(['true', 'false']).default('false'),
	/** `off` turns e-mail + password sign-in off (only with OIDC_ISSUER). */
	PASSWORD_LOGIN: z.enum(['on', 'off']).default('on')
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Reads the environment once, through a schema; a wrong setting stops the process with a clear line. */
export function env(): Env {
	if (cached) return cached;
	const parsed = schema.safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')));
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
		throw new ConfigError(`Configuration invalide / invalid configuration — ${lines.join('; ')}`);
	}
	cached = parsed.data;
	return cached;
}

export function resetEnvForTests(): void {
	cached = undefined;
}

export class ConfigError extends Error {}

/** Whether this process is production (`npm run serve`): stricter checks, never the demo. */
export const isProduction = (): boolean => process.env.LABO_MODE === 'production';

/**
 * The public origin every link in a mail, a feed or a calendar is built from — never the request's
 * Host header. `ORIGIN` when set (required in production); the demo, which runs without it,
 * links to the local address `npm start` listens on.
 */
export function publicOrigin(): string {
	const origin = env().ORIGIN ?? process.env.LABO_DEMO_ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`;
	return origin.replace(/\/+$/, '');
}

export function dataDir(): string {
	return path.resolve(env().DATA_DIR);
}

export function sqlitePath(): string {
	return path.join(dataDir(), 'labo.sqlite');
}
