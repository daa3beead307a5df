/** A rule of the domain was broken; `code` is a message key the UI translates. */
export class DomainError extends Error {
	constructor(
		public readonly code: string,
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
		public readonly errors: Record<string, { key: string; params?: Record<string, string | number> }>,
		status = 400
	) {
		super('form.errors', status, { count: Object.keys(errors).length });
		this.name = 'FieldsError';
	}
}

export const notFound = (what = 'error.notFound') => new DomainError(what, 404);
export const forbidden = () => new DomainError('error.forbidden', 403);
export const conflict = (code: string, field?: string) => new DomainError(code, 409, {}, field);
