import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { DomainError, FieldsError } from './errors';
import { can, type Action } from './policy';
import { getDb } from './db';
import { labContext, type LabContext } from './labs';
import { log } from './log';
import { currentRequestId } from './request-context';
import type { FieldErrors, FormFailure, Msg } from '$lib/shared/forms';
import { issuesToErrors } from '$lib/shared/forms';
import type { MessageKey } from '$lib/i18n';

/** The id people can quote from an error page: the request's id, which every log line of it carries. */
export const newErrorId = (): string => currentRequestId() ?? randomBytes(5).toString('hex').toUpperCase();

/** Throws SvelteKit's error() with a translatable key and an error id. */
export function httpError(status: number, key: MessageKey): never {
	const errorId = newErrorId();
	log.info('http.error', { status, key, errorId });
	error(status, { message: key, errorId });
}

/** Turns a DomainError into an HTTP error page; anything else is rethrown. */
export function rethrowAsHttp(e: unknown): never {
	if (e instanceof DomainError) httpError(e.status, e.code);
	throw e;
}

function loginRedirect(event: RequestEvent): never {
	redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
}

export function requireUser(event: RequestEvent) {
	if (!event.locals.user) loginRedirect(event);
	return event.locals.user;
}

/** The lab of this route and the caller's role there, resolved once per request. */
export async function getLabContext(event: RequestEvent): Promise<LabContext> {
	const slug = event.params.lab;
	if (!slug) httpError(404, 'error.notFound');
	let p = event.locals.labContexts.get(slug);
	if (!p) {
		p = labContext(getDb(), slug, event.locals.user);
		event.locals.labContexts.set(slug, p);
	}
	try {
		return await p;
	} catch (e) {
		rethrowAsHttp(e);
	}
}

/** Resolves the lab and checks the policy; anonymous callers are sent to log in, others get 403. */
export async function guardLab(event: RequestEvent, action: Action): Promise<LabContext> {
	const ctx = await getLabContext(event);
	if (!can(ctx.role, action)) {
		if (!event.locals.user) loginRedirect(event);
		httpError(403, 'error.forbidden');
	}
	return ctx;
}

type Values = Record<string, string>;

/** The submitted fields as strings, minus secrets, to send back with errors. */
export function formValues(data: FormData, omit: string[] = []): Values {
	const out: Values = {};
	for (const [k, v] of data.entries()) {
		if (typeof v === 'string' && !omit.includes(k) && !/password/i.test(k)) out[k] = v;
	}
	return out;
}

export interface ParseFormOptions {
	/** Fields sent several times (checkboxes of one name): read as arrays of strings. */
	arrays?: readonly string[];
	/** The summary message: "n errors" (the default), or the first error itself, for forms that show one message. */
	message?: 'count' | 'first';
}

/** Parses a form with a Zod schema; on failure returns the failure to `return` from the action. */
export async function parseForm<S extends z.ZodType>(
	event: RequestEvent,
	schema: S,
	options: ParseFormOptions = {}
): Promise<{ ok: true; data: z.output<S>; form: FormData; values: Values } | { ok: false; failure: ReturnType<typeof fail<FormFailure>> }> {
	let form: FormData;
	try {
		form = await event.request.formData();
	} catch {
		return { ok: false, failure: fail(400, { values: {}, errors: {}, message: { key: 'form.invalid' } }) };
	}
	const raw: Record<string, string | string[]> = {};
	for (const [k, v] of form.entries()) if (typeof v === 'string') raw[k] = v;
	for (const k of options.arrays ?? []) raw[k] = form.getAll(k).filter((v): v is string => typeof v === 'string');
	const values = formValues(form);
	const parsed = schema.safeParse(raw);
	if (!parsed.success) {
		const errors = issuesToErrors(parsed.error.issues, raw);
		const first = Object.values(errors)[0];
		const message: Msg = options.message === 'first' && first ? first : { key: 'form.errors', params: { count: Object.keys(errors).length } };
		return { ok: false, failure: fail(400, { values, errors, message }) };
	}
	return { ok: true, data: parsed.data, form, values };
}

/** Maps a DomainError to a form failure that keeps what was typed; anything else is rethrown. */
export function domainFailure(e: unknown, values: Values) {
	if (!(e instanceof DomainError)) throw e;
	const errors: FieldErrors = {};
	if (e.field) errors[e.field] = { key: e.code, params: e.params };
	if (e instanceof FieldsError) Object.assign(errors, e.errors);
	return fail(e.status, { values, errors, message: { key: e.code, params: e.params } } satisfies FormFailure);
}

export function pageParam(url: URL): number {
	const n = Number(url.searchParams.get('page') ?? '1');
	return Number.isInteger(n) && n > 0 && n < 100000 ? n : 1;
}

/** The single file of a multipart form, refused early when the body is too large or empty. */
export async function readUpload(event: RequestEvent, maxBytes: number): Promise<{ name: string; bytes: Buffer }> {
	const length = Number(event.request.headers.get('content-length') ?? 0);
	if (length > maxBytes + 64 * 1024) throw new DomainError('file.tooLarge', 413, { max: Math.round(maxBytes / 1024 / 1024) }, 'file');
	const file = (await event.request.formData()).get('file');
	if (!(file instanceof File) || file.size === 0) throw new DomainError('file.empty', 400, {}, 'file');
	return { name: file.name, bytes: Buffer.from(await file.arrayBuffer()) };
}
