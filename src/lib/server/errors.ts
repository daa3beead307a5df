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

export const notFound = (what = 'error.notFound') => new DomainError(what, 404);
export const forbidden = () => new DomainError('error.forbidden', 403);
export const conflict = (code: string, field?: string) => new DomainError(code, 409, {}, field);
