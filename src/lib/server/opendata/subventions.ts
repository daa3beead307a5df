/**
 * The grants file: SCDL "subventions" 2.1.1 (OpenDataFrance). One CSV, UTF-8 without byte-order
 * mark, comma-separated, a header with exactly these columns in this order, one row per
 * agreement and beneficiary; dot decimals, ISO dates, empty cells for missing optional values.
 * Pure: the records come from the fund (fund/grants.ts), the authority from the lab's settings.
 */
import type { GrantRecord } from '../fund';
import type { MessageKey } from '$lib/i18n';
import { AID_NATURES, RNA_RE, SIRET_RE } from '$lib/shared/opendata';

export const SUBVENTIONS_COLUMNS = [
	'nomAttribuant',
	'idAttribuant',
	'dateConvention',
	'referenceDecision',
	'nomBeneficiaire',
	'idBeneficiaire',
	'rnaBeneficiaire',
	'objet',
	'montant',
	'nature',
	'conditionsVersement',
	'datesPeriodeVersement',
	'idRAE',
	'notificationUE',
	'pourcentageSubvention',
	'dispositifAide'
] as const;
export type SubventionsColumn = (typeof SUBVENTIONS_COLUMNS)[number];
export type SubventionsRow = Record<SubventionsColumn, string>;

/** What a grant may lack; each is a catalogue key (`opendata.missing.*`). */
export type MissingKey = Extract<MessageKey, `opendata.missing.${string}`>;

export interface Authority {
	name: string;
	siret: string;
}

/** What the authority (the lab's settings) lacks before any grant can be published. */
export function authorityMissing(a: Authority): MissingKey[] {
	const out: MissingKey[] = [];
	if (!a.name.trim()) out.push('opendata.missing.authorityName');
	if (!SIRET_RE.test(a.siret)) out.push('opendata.missing.authoritySiret');
	return out;
}

/** A free text cell of the format: under 256 characters, on one line. */
const cell = (v: string, max = 255): string => v.replace(/\s+/g, ' ').trim().slice(0, max);
const euros = (cents: number): string => (cents / 100).toFixed(2);

/** One grant as a row, or what it lacks (a row is built only when nothing required is missing). */
export function grantRow(authority: Authority, g: GrantRecord): { row: SubventionsRow | null; missing: MissingKey[] } {
	const missing: MissingKey[] = [];
	const name = cell(g.beneficiaryName ?? '');
	const siret = g.beneficiarySiret && SIRET_RE.test(g.beneficiarySiret) ? g.beneficiarySiret : '';
	const rna = g.beneficiaryRna && RNA_RE.test(g.beneficiaryRna) ? g.beneficiaryRna : '';
	const nature = AID_NATURES.find((n) => n === g.aidNature) ?? '';
	const terms = cell(g.paymentTerms ?? '');
	if (!name) missing.push('opendata.missing.beneficiaryName');
	if (!siret && !rna) missing.push('opendata.missing.beneficiaryId');
	if (!g.agreementDate) missing.push('opendata.missing.agreementDate');
	if (!nature) missing.push('opendata.missing.aidNature');
	if (!terms) missing.push('opendata.missing.paymentTerms');
	if (g.paymentDays.length === 0) missing.push('opendata.missing.paymentDates');
	if (g.grantedCents <= 0) missing.push('opendata.missing.amount');
	if (missing.length || authorityMissing(authority).length) return { row: null, missing };
	const days = g.paymentDays;
	return {
		missing,
		row: {
			nomAttribuant: cell(authority.name),
			idAttribuant: authority.siret,
			dateConvention: g.agreementDate!,
			referenceDecision: cell(g.decisionReference ?? ''),
			nomBeneficiaire: name,
			idBeneficiaire: siret,
			rnaBeneficiaire: rna,
			objet: cell(g.title),
			montant: euros(g.grantedCents),
			nature,
			conditionsVersement: terms,
			datesPeriodeVersement: days.length === 1 ? days[0]! : `${days[0]}/${days[days.length - 1]}`,
			idRAE: '',
			notificationUE: g.euNotified ? 'oui' : 'non',
			// One beneficiary per agreement in Labo: it receives the whole amount.
			pourcentageSubvention: '1.00',
			dispositifAide: ''
		}
	};
}

const quote = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The file's text: header, then the rows, CRLF line ends (RFC 4180), no byte-order mark. */
export function subventionsCsv(rows: readonly SubventionsRow[]): string {
	const lines = [SUBVENTIONS_COLUMNS.join(','), ...rows.map((r) => SUBVENTIONS_COLUMNS.map((c) => quote(r[c])).join(','))];
	return lines.join('\r\n') + '\r\n';
}

/** File names of the published grants files: `subventions-2014.csv`, `subventions.csv` (all years). */
export const subventionsFileName = (period: string): string => (period === 'all' ? 'subventions.csv' : `subventions-${period}.csv`);
export function periodOfFileName(name: string): string | null {
	const m = /^subventions(?:-(\d{4}))?\.csv$/.exec(name);
	return m ? (m[1] ?? 'all') : null;
}
