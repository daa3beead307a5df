/** One readable line for a database that cannot be opened or reached. */
export function describeConnectionError(e: unknown, url: string): string {
	const raw = e instanceof Error ? e.message : String(e);
	const code = (e as { code?: string } | null)?.code;
	const where = /^postgres/.test(url) ? safeUrl(url) : url;
	const reason = code && !raw.includes(code) ? `${code} ${raw}` : raw || code || 'unknown error';
	return `impossible d'ouvrir la base de données / cannot open the database (${where}): ${reason}`;
}

/** The URL without its password, for messages and logs. */
export function safeUrl(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return 'DATABASE_URL';
	}
}
