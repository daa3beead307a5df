/**
 * `labo export subventions`: the lab's grants file (SCDL "subventions" 2.1.1) written to a file,
 * and the approved requests left out of it for lack of data, with what each lacks.
 */
import fs from 'node:fs';
import type { Db } from '../lib/server/db';
import { findLabBySlug } from '../lib/server/labs/labs.service';
import { buildSubventions } from '../lib/server/opendata';
import { translate } from '../lib/server/i18n';

export const EXPORT_HELP = `npm run labo -- export subventions --lab SLUG [--year AAAA] --out FICHIER [--strict]

Écrit le fichier des subventions accordées par le labo au format SCDL « subventions » 2.1.1
(CSV UTF-8, séparateur virgule) : les demandes de financement accordées, de l'année budgétaire
donnée ou de toutes les années. Les demandes incomplètes sont listées avec ce qui leur manque et
laissées hors du fichier ; avec --strict, le code de sortie est alors 1.
Writes the lab's grants file (SCDL "subventions" 2.1.1, UTF-8, comma-separated): its approved
funding requests, of one budget year or all. Incomplete requests are listed with what they lack
and left out of the file; with --strict the exit code is then 1.`;

export interface ExportResult {
	rows: number;
	/** One line per incomplete request (or the missing granting authority), French / English. */
	incomplete: string[];
}

/** Runs the export; the caller opens and closes the database and turns errors into exit codes. */
export async function exportSubventions(db: Db, input: { lab: string; year: number | null; out: string }): Promise<ExportResult | { unknownLab: true }> {
	const lab = await findLabBySlug(db, input.lab);
	if (!lab) return { unknownLab: true };
	const built = await buildSubventions(db, lab.id, input.year);
	fs.writeFileSync(input.out, built.csv, 'utf8');
	const both = (k: Parameters<typeof translate>[1]) => `${translate('fr', k)} / ${translate('en', k)}`;
	const incomplete = [
		...(built.authorityMissing.length ? [`(${lab.slug}) ${built.authorityMissing.map(both).join(', ')}`] : []),
		...built.grants.filter((g) => g.missing.length).map((g) => `${g.year} « ${g.title} » [${g.requestId}]: ${g.missing.map(both).join(', ')}`)
	];
	return { rows: built.rows.length, incomplete };
}
