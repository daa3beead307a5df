import type { Message, MessageKey } from '$lib/i18n';

/** A rule of the domain was broken; `code` is a message key the UI translates. */
export class DomainError extends Error {
	constructor(
		public readonly code: MessageKey,
		public readonly status: number = 400,
		public readonly params: Record<string, string | number> = {},
		public readonly field?: string
	) {
		super(code);
		this.name = 'DomainError';
	}
}

/** Several fields wrong at once: each is reported together, not one after the other. */
export class FieldsError extends DomainError {
	constructor(
		public readonly errors: Record<string, Message>,
		status = 400
	) {
		super('form.errors', status, { count: Object.keys(errors).length });
		this.name = 'FieldsError';
	}
}

export const notFound = (what: MessageKey = 'error.notFound') => new DomainError(what, 404);
export const forbidden = () => new DomainError('error.forbidden', 403);
export const conflict = (code: MessageKey, field?: string) => new DomainError(code, 409, {}, field);
