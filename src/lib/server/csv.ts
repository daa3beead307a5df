/**
 * CSV for French spreadsheets: `;` separator, CRLF line ends and a UTF-8 byte-order mark so
 * that Excel opens accents correctly. Fields are always quoted, quotes doubled; a leading
 * = + - @ is prefixed with an apostrophe so no cell is run as a formula.
 */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
	const cell = (v: string | number | null) => {
		let s = v === null ? '' : String(v);
		if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
		return `"${s.replace(/"/g, '""')}"`;
	};
	return '\ufeff' + [header, ...rows].map((r) => r.map(cell).join(';')).join('\r\n') + '\r\n';
}
