import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { checkConnection, getDb, migrate } from '$lib/server/db';
import { env } from '$lib/server/env';
import { log } from '$lib/server/log';
import { newErrorId } from '$lib/server/http';
import { currentRequestId, requestIdFrom, runWithRequest } from '$lib/server/request-context';
import { observeRequest, useMetricsDatabase } from '$lib/server/metrics';
import { loadInstallationSecret } from '$lib/server/secret';
import { validateSession } from '$lib/server/auth/session';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '$lib/server/cookies';
import { startOutboxWorker } from '$lib/server/mail/transport';
import { backgroundTimings, defaultHandlers, newWorkerId, startWorkers, workersEnabled } from '$lib/server/jobs';
import { cacheableSlug, notModified, publicValidators, PUBLIC_CACHE_CONTROL } from '$lib/server/journal/cache';
import { isLocale, type Locale } from '$lib/shared/roles';
import { referrerPolicyFor } from '$lib/server/referrer';
import { PublicPageCache } from '$lib/server/publiccache';
import { findLabBySlug } from '$lib/server/labs/labs.service';
import { publishDueAndPlan } from '$lib/server/journal';

export const LOCALE_COOKIE = 'labo_locale';

export const init: ServerInit = async () => {
	const db = getDb();
	await checkConnection(db);
	await migrate(db);
	useMetricsDatabase(db);
	// Production checked the secret before starting (npm run serve); the demo creates one if needed.
	await loadInstallationSecret(db, { generate: true });
	const e = env();
	// LABO_WORKERS=0: a web-only server; the others run the jobs, the periodic tasks and the mail.
	if (!workersEnabled()) {
		log.info('jobs.webOnly', { note: 'LABO_WORKERS=0: no background work on this server' });
		return;
	}
	const workerId = newWorkerId();
	const timings = backgroundTimings();
	if (e.SMTP_URL) startOutboxWorker(db, e.SMTP_URL, e.MAIL_FROM, timings.pollMs, workerId, timings.outboxLeaseMs);
	else log.info('mail.noSmtp', { note: 'SMTP_URL is not set: mails stay in the outbox, visible to coordinators' });
	// Imports, and the reminders, scheduled posts and digests: each run by one server per period.
	startWorkers(db, {
		id: workerId,
		handlers: defaultHandlers(),
		ticks: timings.ticks,
		leaseMs: timings.leaseMs,
		pollMs: timings.pollMs,
		tickCheckMs: timings.tickCheckMs
	});
};

const SECURITY_HEADERS: Record<string, string> = {
	'X-Content-Type-Options': 'nosniff',
	'X-Frame-Options': 'DENY',
	'Referrer-Policy': 'same-origin',
	'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
	'Cross-Origin-Opener-Policy': 'same-origin'
};

/** Above this, a POST from someone not signed in is refused: no anonymous form needs more. */
export const ANONYMOUS_BODY_LIMIT = 64 * 1024;

/** Reads at most `limit` bytes of a body; null when it is longer (whatever the transfer encoding). */
async function readAtMost(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		// Past the limit, stop reading; cancelling would reset the socket before the 413 is sent.
		if (size > limit) return null;
		chunks.push(value);
	}
	const out = new Uint8Array(new ArrayBuffer(size));
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.byteLength;
	}
	return out;
}

const tooLarge = () =>
	new Response('Requête trop volumineuse / request too large', {
		status: 413,
		headers: { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close', ...SECURITY_HEADERS }
	});

export const handle: Handle = async ({ event, resolve }) => {
	const requestId = requestIdFrom(event.request.headers.get('x-request-id'));
	const started = performance.now();
	return runWithRequest({ requestId }, async () => {
		const response = await handleRequest({ event, resolve });
		try {
			response.headers.set('X-Request-Id', requestId);
		} catch {
			// An immutable response (a proxied fetch): it goes out without the header.
		}
		observeRequest(event.route.id, event.request.method, response.status, (performance.now() - started) / 1000);
		return response;
	});
};

/**
 * SvelteKit refuses cross-site form posts but lets `Origin: null` through (see svelte.config.js):
 * a page with `Referrer-Policy: no-referrer` makes the browser send it for its own forms. Such a
 * post is accepted only when the browser itself says it came from this site.
 */
export function nullOriginRefused(request: Request): boolean {
	if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return false;
	return request.headers.get('origin') === 'null' && request.headers.get('sec-fetch-site') !== 'same-origin';
}

const handleRequest: Handle = async ({ event, resolve }) => {
	if (nullOriginRefused(event.request))
		return new Response('Envoi refusé : formulaire venu d’un autre site / cross-site form submission refused', {
			status: 403,
			headers: { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }
		});
	event.locals.user = null;
	event.locals.labContexts = new Map();
	const token = readSessionCookie(event.cookies, event.url);
	const secure = event.url.protocol === 'https:';
	if (token) {
		const found = await validateSession(getDb(), token);
		if (found) {
			event.locals.user = found.user;
			if (found.renewedUntil) setSessionCookie(event.cookies, event.url, token, found.renewedUntil);
		} else {
			clearSessionCookie(event.cookies, event.url);
		}
	}
	const cookieLocale = event.cookies.get(LOCALE_COOKIE);
	const locale: Locale = isLocale(cookieLocale) ? cookieLocale : (event.locals.user?.locale ?? 'fr');
	event.locals.locale = locale;

	// Anonymous forms are small: a large or endless body from someone not signed in is refused
	// before any work, whether it declares its length or streams it in chunks.
	if (!event.locals.user && event.request.body && !['GET', 'HEAD', 'OPTIONS'].includes(event.request.method)) {
		const declared = Number(event.request.headers.get('content-length') ?? NaN);
		if (declared > ANONYMOUS_BODY_LIMIT) return tooLarge();
		if (!Number.isFinite(declared)) {
			const body = await readAtMost(event.request.body, ANONYMOUS_BODY_LIMIT);
			if (!body) return tooLarge();
			const headers = new Headers(event.request.headers);
			headers.delete('transfer-encoding');
			headers.set('content-length', String(body.byteLength));
			event.request = new Request(event.request.url, { method: event.request.method, headers, body });
		}
	}

	// The public site, for anonymous visitors: served from the rendered copy when the lab's
	// content version has not moved since; answered 304 when nothing changed.
	const publicSlug = cacheableSlug(event.request.method, event.url.pathname, !event.locals.user);
	const cached = publicSlug && !token ? await publicPages().open(getDb(), { request: event.request, url: event.url, slug: publicSlug, locale }) : null;
	if (cached?.response) return cached.response;
	const validators = publicSlug ? await publicValidators(getDb(), publicSlug, event.url.pathname + event.url.search, locale) : null;
	if (validators && notModified(event.request, validators))
		return new Response(null, {
			status: 304,
			headers: { ETag: validators.etag, 'Last-Modified': validators.lastModified, 'Cache-Control': PUBLIC_CACHE_CONTROL, Vary: 'Cookie' }
		});

	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', locale)
	});
	// An imported blog's old address (a 404 here, or WordPress's /?p=12): a permanent redirect to the journal.
	if (event.request.method === 'GET' && (response.status === 404 || /[?&](?:p|page_id)=\d/.test(event.url.search))) {
		const { findRedirect } = await import('$lib/server/journal/redirects');
		const to = await findRedirect(getDb(), event.url.pathname + event.url.search).catch(() => null);
		if (to) return new Response(null, { status: 301, headers: { ...SECURITY_HEADERS, location: to } });
	}
	for (const [k, v] of Object.entries(SECURITY_HEADERS)) response.headers.set(k, v);
	response.headers.set('Referrer-Policy', referrerPolicyFor(event.url.pathname));
	if (secure) response.headers.set('Strict-Transport-Security', 'max-age=31536000');
	if (event.locals.user && !response.headers.has('cache-control')) response.headers.set('Cache-Control', 'private, no-store');
	if (validators && response.status === 200) {
		response.headers.set('ETag', validators.etag);
		response.headers.set('Last-Modified', validators.lastModified);
		if (!response.headers.has('cache-control')) response.headers.set('Cache-Control', PUBLIC_CACHE_CONTROL);
		response.headers.set('Vary', 'Cookie');
	}
	return cached ? cached.store(response) : response;
};

let pages: PublicPageCache | undefined;
/** The rendered public pages this server keeps (LABO_PAGE_CACHE_MB), valid for their lab's content version. */
function publicPages(): PublicPageCache {
	pages ??= new PublicPageCache({
		maxBytes: env().LABO_PAGE_CACHE_MB * 1024 * 1024,
		labIdOf: async (db, slug) => (await findLabBySlug(db, slug))?.id ?? null,
		publishDue: publishDueAndPlan
	});
	return pages;
}

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const errorId = currentRequestId() ?? newErrorId();
	if (status === 404) {
		log.info('http.notFound', { path: event.url.pathname, errorId });
		return { message: 'error.notFound', errorId };
	}
	log.error('http.unexpected', {
		errorId,
		status,
		path: event.url.pathname,
		message,
		error: error instanceof Error ? (dev ? error.stack : error.message) : String(error),
		stack: error instanceof Error ? error.stack : undefined
	});
	return { message: status === 429 ? 'error.tooManyRequests' : 'error.unexpected', errorId };
};
