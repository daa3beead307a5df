/**
 * "12 500,50", "12500.5", "1 000" → integer cents. Spaces (including the narrow no-break space
 * French uses) separate thousands; comma or dot is the decimal mark. Refuses negative numbers,
 * more than two decimals and anything that is not a number.
 */
export function parseEuros(raw: string): number | null {
	const s = raw.trim().replace(/[\s\u00a0\u202f]/g, '').replace(/€$/, '');
	const m = /^(\d{1,12})(?:[.,](\d{1,2}))?$/.exec(s);
	if (!m) return null;
	const cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
	return Number.isSafeInteger(cents) ? cents : null;
}

/** Cents → "12500,50" for an input field (no thousands separator, so it parses back). */
export const centsToInput = (cents: number): string => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;

export interface BudgetLine {
	label: string;
	category: string;
	amountCents: number;
}

/** "Libellé ; catégorie ; montant" per line. */
export function parseBudgetLines(text: string): { ok: true; rows: BudgetLine[] } | { ok: false; line: number; key: string } {
	const rows: BudgetLine[] = [];
	const lines = text.split(/\r?\n/);
	for (let i = 0; i < lines.length; i++) {
		const raw = lines[i]!.trim();
		if (!raw) continue;
		const parts = raw.split(';').map((p) => p.trim());
		const [label = '', category = ''] = parts;
		const amount = parseEuros(parts[2] ?? '');
		if (!label || label.length > 200) return { ok: false, line: i + 1, key: 'fund.badLineLabel' };
		if (amount === null || amount === 0) return { ok: false, line: i + 1, key: 'fund.badLineAmount' };
		rows.push({ label, category: category.slice(0, 60), amountCents: amount });
	}
	if (rows.length === 0) return { ok: false, line: 1, key: 'fund.noLines' };
	if (rows.length > 100) return { ok: false, line: 101, key: 'event.tooManyLines' };
	return { ok: true, rows };
}
