import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { checkConnection, getDb, migrate } from '$lib/server/db';
import { env } from '$lib/server/env';
import { log } from '$lib/server/log';
import { newErrorId } from '$lib/server/http';
import { validateSession } from '$lib/server/auth/session';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from '$lib/server/cookies';
import { startOutboxWorker } from '$lib/server/mail/transport';
import { sendReminders } from '$lib/server/network/calls.service';
import { cacheableSlug, notModified, publicValidators, PUBLIC_CACHE_CONTROL } from '$lib/server/journal/cache';
import { publishDue } from '$lib/server/journal/posts.service';
import { sendDigests } from '$lib/server/journal/comments.service';
import { isLocale, type Locale } from '$lib/shared/roles';

export const LOCALE_COOKIE = 'labo_locale';

export const init: ServerInit = async () => {
	const db = getDb();
	await checkConnection(db);
	await migrate(db);
	const e = env();
	if (e.SMTP_URL) startOutboxWorker(db, e.SMTP_URL, e.MAIL_FROM);
	else log.info('mail.noSmtp', { note: 'SMTP_URL is not set: mails stay in the outbox, visible to coordinators' });
	// Reminders to referents assigned to an event in the next two days (each sent once).
	const remind = () =>
		sendReminders(db).catch((err: unknown) => log.error('network.remindersFailed', { error: err instanceof Error ? err.message : String(err) }));
	setInterval(remind, 10 * 60_000).unref();
	void remind();
	// Scheduled posts go out at their time even when nobody is reading the journal.
	setInterval(() => publishDue(db).catch((err: unknown) => log.error('journal.publishFailed', { error: err instanceof Error ? err.message : String(err) })), 60_000).unref();
	// Daily digests of new comments, for those who chose them (checked every half hour).
	setInterval(() => sendDigests(db).catch((err: unknown) => log.error('journal.digestFailed', { error: err instanceof Error ? err.message : String(err) })), 30 * 60_000).unref();
};

const SECURITY_HEADERS: Record<string, string> = {
	'X-Content-Type-Options': 'nosniff',
	'X-Frame-Options': 'DENY',
	'Referrer-Policy': 'same-origin',
	'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
	'Cross-Origin-Opener-Policy': 'same-origin'
};

export const handle: Handle = async ({ event, resolve }) => {
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

	// The public site, for anonymous visitors: answered 304 when nothing changed.
	const publicSlug = cacheableSlug(event.request.method, event.url.pathname, !event.locals.user);
	const validators = publicSlug ? await publicValidators(getDb(), publicSlug, event.url.pathname + event.url.search, locale) : null;
	if (validators && notModified(event.request, validators))
		return new Response(null, { status: 304, headers: { ETag: validators.etag, 'Last-Modified': validators.lastModified, 'Cache-Control': PUBLIC_CACHE_CONTROL, Vary: 'Cookie' } });

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
	if (secure) response.headers.set('Strict-Transport-Security', 'max-age=31536000');
	if (event.locals.user && !response.headers.has('cache-control')) response.headers.set('Cache-Control', 'private, no-store');
	if (validators && response.status === 200) {
		response.headers.set('ETag', validators.etag);
		response.headers.set('Last-Modified', validators.lastModified);
		if (!response.headers.has('cache-control')) response.headers.set('Cache-Control', PUBLIC_CACHE_CONTROL);
		response.headers.set('Vary', 'Cookie');
	}
	return response;
};

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const errorId = newErrorId();
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
