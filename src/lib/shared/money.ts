import type { MessageKey } from '$lib/i18n';
/** The largest amount accepted: 999 999 999 999,99 € (twelve digits of euros). */
export const MAX_EURO_DIGITS = 12;

/**
 * "12 500,50", "12500.5", "1 000" → integer cents. Spaces (including the narrow no-break space
 * French uses) separate thousands; comma or dot is the decimal mark. Refuses negative numbers,
 * more than two decimals and anything that is not a number ('invalid'), and a number of more
 * than twelve digits of euros ('tooLarge', so the message says so).
 */
export function readEuros(raw: string): { ok: true; cents: number } | { ok: false; reason: 'invalid' | 'tooLarge' } {
	const s = raw
		.trim()
		.replace(/[\s\u00a0\u202f]/g, '')
		.replace(/€$/, '');
	const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(s);
	if (!m) return { ok: false, reason: 'invalid' };
	if (m[1]!.replace(/^0+(?=\d)/, '').length > MAX_EURO_DIGITS) return { ok: false, reason: 'tooLarge' };
	return { ok: true, cents: Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) };
}

export function parseEuros(raw: string): number | null {
	const r = readEuros(raw);
	return r.ok ? r.cents : null;
}

/** Cents → "12500,50" for an input field (no thousands separator, so it parses back). */
export const centsToInput = (cents: number): string => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;

/** Budget lines back as typed in the request form: `Libellé ; catégorie ; montant`, one a line. */
export const linesToText = (lines: { label: string; category: string; amountCents: number }[]): string =>
	lines.map((l) => `${l.label} ; ${l.category} ; ${centsToInput(l.amountCents)}`).join('\n');

export interface BudgetLine {
	label: string;
	category: string;
	amountCents: number;
}

/** "Libellé ; catégorie ; montant" per line. */
export function parseBudgetLines(text: string): { ok: true; rows: BudgetLine[] } | { ok: false; line: number; key: MessageKey } {
	const rows: BudgetLine[] = [];
	const lines = text.split(/\r?\n/);
	for (let i = 0; i < lines.length; i++) {
		const raw = lines[i]!.trim();
		if (!raw) continue;
		const parts = raw.split(';').map((p) => p.trim());
		const [label = '', category = ''] = parts;
		const amount = readEuros(parts[2] ?? '');
		if (!label || label.length > 200) return { ok: false, line: i + 1, key: 'fund.badLineLabel' };
		if (!amount.ok && amount.reason === 'tooLarge') return { ok: false, line: i + 1, key: 'fund.lineAmountTooLarge' };
		if (!amount.ok || amount.cents === 0) return { ok: false, line: i + 1, key: 'fund.badLineAmount' };
		rows.push({ label, category: category.slice(0, 60), amountCents: amount.cents });
	}
	if (rows.length === 0) return { ok: false, line: 1, key: 'fund.noLines' };
	if (rows.length > 100) return { ok: false, line: 101, key: 'event.tooManyLines' };
	return { ok: true, rows };
}
