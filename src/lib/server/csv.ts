/**
 * CSV in and out, the one place the app reads or writes it.
 *
 * Reading (`decodeCsv`): what French offices send — UTF-8 with or without a byte-order mark,
 * or Windows-1252 from an old Excel; `;` or `,` (or a `sep=` first line); quoted fields over
 * several lines. Each record keeps its physical line so errors can name it.
 */

export type Encoding = 'utf-8' | 'windows-1252';
export type Separator = ';' | ',';

export interface CsvRecord {
	/** Physical line of the file where the record starts (the header is line 1). */
	line: number;
	cells: string[];
}

export interface DecodedCsv {
	encoding: Encoding;
	separator: Separator;
	/** Non-blank records, the header first. */
	records: CsvRecord[];
	/** Line where a quoted field was opened and never closed, if any. */
	unclosedQuoteLine: number | null;
}

// Windows-1252 differs from ISO-8859-1 on 0x80–0x9F (€, ’, œ, …). Node builds without full
// ICU decode "windows-1252" as Latin-1, so the table is spelled out here.
const CP1252_HIGH = [
	0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d,
	0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178
];

export function decodeWindows1252(bytes: Uint8Array): string {
	let out = '';
	const CHUNK = 8192;
	for (let i = 0; i < bytes.length; i += CHUNK) {
		const codes: number[] = [];
		const end = Math.min(bytes.length, i + CHUNK);
		for (let j = i; j < end; j++) {
			const b = bytes[j]!;
			codes.push(b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b);
		}
		out += String.fromCharCode(...codes);
	}
	return out;
}

/** UTF-8 when the bytes are valid UTF-8 (byte-order mark dropped), Windows-1252 otherwise. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: Encoding } {
	let text: string;
	let encoding: Encoding = 'utf-8';
	try {
		text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
	} catch {
		text = decodeWindows1252(bytes);
		encoding = 'windows-1252';
	}
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	return { text, encoding };
}

/** `;` or `,`, whichever the header line (outside quotes) has more of; `;` on a tie. */
function detectSeparator(headerLine: string): Separator {
	let semi = 0;
	let comma = 0;
	let quoted = false;
	for (const c of headerLine) {
		if (c === '"') quoted = !quoted;
		else if (!quoted && c === ';') semi++;
		else if (!quoted && c === ',') comma++;
	}
	return comma > semi ? ',' : ';';
}

/** The first line outside quotes (newlines inside a quoted header cell do not end it). */
function firstLine(text: string): string {
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === '"') quoted = !quoted;
		else if (!quoted && (c === '\n' || c === '\r')) return text.slice(0, i);
	}
	return text;
}

/**
 * Reads a CSV file as spreadsheets write it: UTF-8 or Windows-1252, `;` or `,` separated
 * (taken from the header line, or from an Excel "sep=;" first line), fields optionally quoted
 * with doubled quotes and line breaks inside quotes. Blank lines are skipped but counted, so
 * every record keeps the line number a spreadsheet user sees in a text editor.
 */
export function decodeCsv(bytes: Buffer | Uint8Array): DecodedCsv {
	const { text: raw, encoding } = decodeText(bytes);
	let text = raw;
	let line = 1;
	let separator: Separator;
	const sepLine = /^sep=([;,])[ \t]*(\r\n|\r|\n|$)/i.exec(text);
	if (sepLine) {
		separator = sepLine[1] as Separator;
		text = text.slice(sepLine[0].length);
		line = 2;
	} else {
		separator = detectSeparator(firstLine(text));
	}

	const records: CsvRecord[] = [];
	let cells: string[] = [];
	let cell = '';
	let quoted = false;
	let cellWasQuoted = false;
	let recordLine = line;
	let unclosedQuoteLine: number | null = null;

	const endCell = () => {
		cells.push(cellWasQuoted ? cell : cell.trim());
		cell = '';
		cellWasQuoted = false;
	};
	const endRecord = () => {
		endCell();
		if (cells.some((c) => c !== '')) records.push({ line: recordLine, cells });
		cells = [];
	};

	const n = text.length;
	for (let i = 0; i < n; i++) {
		const c = text[i]!;
		if (quoted) {
			if (c === '"') {
				if (text[i + 1] === '"') {
					cell += '"';
					i++;
				} else quoted = false;
			} else if (c === '\r' || c === '\n') {
				// A line break inside a quoted cell: kept as "\n", and counted.
				if (c === '\r' && text[i + 1] === '\n') i++;
				cell += '\n';
				line++;
			} else {
				cell += c;
			}
			continue;
		}
		if (c === '"' && cell.trim() === '' && !cellWasQuoted) {
			// A quote opening the field (spaces before it are dropped).
			quoted = true;
			cellWasQuoted = true;
			cell = '';
		} else if (c === separator) {
			endCell();
		} else if (c === '\r' || c === '\n') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			endRecord();
			line++;
			recordLine = line;
		} else {
			cell += c;
		}
	}
	if (quoted) unclosedQuoteLine = recordLine;
	if (cell !== '' || cells.length || cellWasQuoted) endRecord();
	return { encoding, separator, records, unclosedQuoteLine };
}

// ——— Writing ———

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
