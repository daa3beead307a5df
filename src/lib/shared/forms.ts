import type { z } from 'zod';
import { messageKeyOr, type Message, type MessageKey, type Params } from '$lib/i18n';

export type Msg = Message;

/** A schema's error message: a catalogue key, checked as one (Zod itself takes any string). */
export const msg = (key: MessageKey): MessageKey => key;

/** A message an action returns (`done`, `message`): its key stays checked through the action's inferred type. */
export const formMessage = (key: MessageKey, params?: Params): Msg => (params ? { key, params } : { key });
export type FieldErrors = Record<string, Msg>;

/** What a failed form action returns: the typed values back, one message per field, a summary. */
export interface FormFailure {
	values: Record<string, string>;
	errors: FieldErrors;
	message: Msg;
}

/**
 * Zod issues → one translatable message per field (the first issue of each field wins). Given
 * the submitted values, a text that is too long is told how long it is ("200 au plus, vous en
 * avez saisi 2 097 152"): the browser does not cut it silently, the server says so.
 */
export function issuesToErrors(issues: readonly z.core.$ZodIssue[], submitted: Record<string, unknown> = {}): FieldErrors {
	const out: FieldErrors = {};
	for (const issue of issues) {
		const field = String(issue.path[0] ?? '_form');
		if (out[field]) continue;
		const typed = issue.path.length === 1 ? submitted[field] : undefined;
		out[field] =
			issue.code === 'too_big' && issue.origin === 'string' && typeof typed === 'string'
				? { key: 'form.tooLongTyped', params: { max: Number(issue.maximum), count: typed.trim().length } }
				: issueToMsg(issue);
	}
	return out;
}

function issueToMsg(issue: z.core.$ZodIssue): Msg {
	switch (issue.code) {
		case 'invalid_type':
			return { key: 'form.required' };
		case 'too_small':
			return Number(issue.minimum) <= 1 ? { key: 'form.required' } : { key: 'form.tooShort', params: { min: Number(issue.minimum) } };
		case 'too_big':
			return { key: 'form.tooLong', params: { max: Number(issue.maximum) } };
		case 'invalid_format':
			return issue.format === 'email' ? { key: 'form.invalidEmail' } : { key: 'form.invalid' };
		case 'invalid_value':
			return { key: 'form.invalidChoice' };
		case 'custom':
			return { key: messageKeyOr(issue.message, 'form.invalid'), ...(issue.params ? { params: issue.params as Msg['params'] } : {}) };
		default:
			return { key: 'form.invalid' };
	}
}

/** What a page receives back from one of its form actions. */
export interface FormAnswer {
	formId?: string;
	done?: boolean | Msg;
	saved?: MessageKey;
	values?: Record<string, string>;
	errors?: FieldErrors;
	message?: Msg;
}

/**
 * The answer of the form `formId` on a page with several forms: actions return their formId on
 * success, and failures carry it back in the submitted values (a hidden `formId` field).
 */
export function answerFor(form: unknown, formId: string): FormAnswer | null {
	const a = (form ?? null) as FormAnswer | null;
	return a && (a.formId === formId || a.values?.formId === formId) ? a : null;
}

/** The success message an action returned, if it returned one. */
export const doneMessage = (a: FormAnswer | null): Msg | null => (a && typeof a.done === 'object' ? a.done : null);
