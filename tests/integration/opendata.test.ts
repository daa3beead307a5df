/**
 * Open data, the grants file (SCDL "subventions" 2.1.1): the demo lab's file checked against
 * every rule of the format by a validator written here from the format's field list (not from
 * the code that writes the file); incomplete requests listed and left out; who may prepare,
 * publish and download.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { contextFor, makeLab, makeMember } from '../factories';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { labContext, type LabContext, type LabSummary } from '../../src/lib/server/labs/labs.service';
import { grantingAuthority, setGrantingAuthority } from '../../src/lib/server/labs';
import { buildSubventions, prepareSubventions, publishSubventions, publishedFile, publishedFiles } from '../../src/lib/server/opendata/opendata.service';
import { addEnvelope, advanceRequest, createFund, createRequest, decideRequest, recordEntry } from '../../src/lib/server/fund/fund.service';
import { grantDetails, setGrantDetails } from '../../src/lib/server/fund/grants';
import { createExperiment } from '../../src/lib/server/experiments/experiments.service';
import { DomainError } from '../../src/lib/server/errors';
import { grantDetailsSchema } from '../../src/lib/shared/opendata';

// ——— The format's rules, restated from its field list ———
const HEADER = [
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
];
const REQUIRED = [
	'nomAttribuant',
	'idAttribuant',
	'dateConvention',
	'nomBeneficiaire',
	'objet',
	'montant',
	'nature',
	'conditionsVersement',
	'datesPeriodeVersement',
	'notificationUE',
	'pourcentageSubvention'
];
const NATURES = ['aide en numéraire', 'aide en nature', 'aide en numéraire;aide en nature', 'aide en nature;aide en numéraire'];
const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
const isNumber = (v: string) => /^-?\d+(\.\d+)?$/.test(v);

/** RFC 4180 records of a comma-separated text. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	const endCell = () => {
		row.push(cell);
		cell = '';
	};
	const endRow = () => {
		endCell();
		rows.push(row);
		row = [];
	};
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') endCell();
		else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			endRow();
		} else cell += c;
	}
	if (cell || row.length) endRow();
	return rows;
}

/** Every rule the file breaks, one line each; empty when the file is valid. */
function scdlSubventionsErrors(bytes: Buffer): string[] {
	const errors: string[] = [];
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) errors.push('byte-order mark');
	let text = '';
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return ['not UTF-8'];
	}
	const [header, ...rows] = parseCsv(text);
	if (JSON.stringify(header) !== JSON.stringify(HEADER)) errors.push(`header: ${header?.join(',')}`);
	rows.forEach((cells, i) => {
		const at = (c: string) => `row ${i + 2} ${c}`;
		if (cells.length !== HEADER.length) return void errors.push(`row ${i + 2}: ${cells.length} cells`);
		const v = Object.fromEntries(HEADER.map((h, k) => [h, cells[k]!]));
		for (const c of REQUIRED) if (!v[c]) errors.push(at(`${c} required`));
		if (!v.idBeneficiaire && !v.rnaBeneficiaire) errors.push(at('idBeneficiaire or rnaBeneficiaire required'));
		if (!/^\d{14}$/.test(v.idAttribuant!)) errors.push(at('idAttribuant pattern'));
		if (v.idBeneficiaire && !/^\d{14}$/.test(v.idBeneficiaire)) errors.push(at('idBeneficiaire pattern'));
		if (v.rnaBeneficiaire && !/^W\d{9}$/.test(v.rnaBeneficiaire)) errors.push(at('rnaBeneficiaire pattern'));
		if (v.dateConvention && !isDate(v.dateConvention)) errors.push(at('dateConvention date'));
		if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}(\/[0-9]{4}-[0-9]{2}-[0-9]{2})?$/.test(v.datesPeriodeVersement!) || !v.datesPeriodeVersement!.split('/').every(isDate))
			errors.push(at('datesPeriodeVersement pattern'));
		if (v.objet!.length >= 256) errors.push(at('objet length'));
		if (v.conditionsVersement!.length >= 256) errors.push(at('conditionsVersement length'));
		if (v.idRAE!.length >= 5) errors.push(at('idRAE length'));
		if (!isNumber(v.montant!)) errors.push(at('montant number'));
		if (!NATURES.includes(v.nature!)) errors.push(at('nature enumeration'));
		if (!['oui', 'non'].includes(v.notificationUE!)) errors.push(at('notificationUE boolean'));
		const share = Number(v.pourcentageSubvention);
		if (!isNumber(v.pourcentageSubvention!) || share < 0.01 || share > 1) errors.push(at('pourcentageSubvention range'));
	});
	return errors;
}

describe('the validator of the format', () => {
	it('catches each broken rule (so a pass means something)', () => {
		const good = `${HEADER.join(',')}\r\nRégion,23130002100012,2014-03-12,,Bénéficiaire,19301145900016,,Objet,19000.00,aide en numéraire,unique,2014-05-01,,non,1.00,\r\n`;
		expect(scdlSubventionsErrors(Buffer.from(good))).toEqual([]);
		const broken = `${HEADER.join(',')}\r\n,2313000210001,2014-02-30,,Bénéficiaire,,W12,Objet,"19 000,00",chèque,unique,2014-05,,peut-être,1.5,\r\n`;
		const errors = scdlSubventionsErrors(Buffer.from(broken));
		for (const rule of [
			'nomAttribuant required',
			'idAttribuant pattern',
			'dateConvention date',
			'rnaBeneficiaire pattern',
			'montant number',
			'nature enumeration',
			'datesPeriodeVersement pattern',
			'notificationUE boolean',
			'pourcentageSubvention range'
		])
			expect(errors.join('\n')).toContain(rule);
		expect(scdlSubventionsErrors(Buffer.from(`\ufeff${good}`))).toContain('byte-order mark');
		expect(scdlSubventionsErrors(Buffer.from(good.replace('nomAttribuant,idAttribuant', 'idAttribuant,nomAttribuant')))[0]).toMatch(/^header/);
	});
});

describeEachDialect('open data: the grants file', (getDb) => {
	let paca: LabContext;

	beforeAll(async () => {
		await seedDemo(getDb());
		const lab = await labContext(getDb(), 'paca', null);
		paca = { ...lab, role: 'coordinator' };
	});

	it('writes the demo lab’s approved, complete requests as a valid SCDL subventions 2.1.1 file', async () => {
		const built = await buildSubventions(getDb(), paca.lab.id, 2014);
		const bytes = Buffer.from(built.csv, 'utf8');
		expect(scdlSubventionsErrors(bytes)).toEqual([]);
		const [header, ...rows] = parseCsv(built.csv);
		expect(header).toEqual(HEADER);
		expect(rows).toHaveLength(2);
		const byObject = Object.fromEntries(rows.map((r) => [r[7], Object.fromEntries(HEADER.map((h, k) => [h, r[k]]))]));
		expect(byObject['Semaine de prototypage avec l’école de design']).toMatchObject({
			nomAttribuant: 'Région Provence-Alpes-Côte d’Azur',
			idAttribuant: '23130002100012',
			dateConvention: '2014-03-12',
			idBeneficiaire: '19301145900016',
			rnaBeneficiaire: '',
			montant: '19000.00',
			nature: 'aide en numéraire',
			conditionsVersement: 'échelonné',
			notificationUE: 'non',
			pourcentageSubvention: '1.00'
		});
		expect(byObject['Assistance à maîtrise d’ouvrage pour commander le service de design']).toMatchObject({
			idBeneficiaire: '',
			rnaBeneficiaire: 'W831000123',
			montant: '12000.00',
			conditionsVersement: 'unique'
		});
		// All years: the same grants (the demo has one envelope); another year: a header alone.
		expect(parseCsv((await buildSubventions(getDb(), paca.lab.id)).csv)).toHaveLength(3);
		expect((await buildSubventions(getDb(), paca.lab.id, 2099)).csv).toBe(`${HEADER.join(',')}\r\n`);
	});

	it('lists an incomplete approved request with what it lacks, and leaves it out of the file', async () => {
		const built = await prepareSubventions(getDb(), paca, 2014);
		const restitution = built.grants.find((g) => g.title === 'Restitution aux agents du lycée Claret');
		expect(restitution?.missing).toEqual(['opendata.missing.beneficiaryId', 'opendata.missing.agreementDate']);
		expect(built.csv).not.toContain('Restitution aux agents');
		expect(built.grants.filter((g) => g.missing.length === 0)).toHaveLength(2);
		// A request still waiting for its decision is not a grant.
		expect(built.grants.map((g) => g.title)).not.toContain('Fonction de coordination technique du labo');
		// Completing it brings it into the file.
		await setGrantDetails(
			getDb(),
			paca,
			restitution!.requestId,
			grantDetailsSchema.parse({
				beneficiaryName: 'Agence de design (fictive)',
				beneficiarySiret: '79812345600013',
				agreementDate: '2014-05-20',
				aidNature: 'aide en numéraire',
				paymentTerms: 'unique'
			})
		);
		const after = await buildSubventions(getDb(), paca.lab.id, 2014);
		expect(after.rows).toHaveLength(3);
		expect(scdlSubventionsErrors(Buffer.from(after.csv))).toEqual([]);
	});
});

describeEachDialect('open data: who prepares, publishes and downloads', (getDb) => {
	let lab: LabSummary;
	let coord: LabContext;
	let others: Record<'resident' | 'sponsor' | 'partner' | 'referent', LabContext>;
	let anonymous: LabContext;
	let otherCoord: LabContext;
	/** The other lab's coordinator, here: no role in this lab. */
	let outsider: LabContext;

	async function approvedRequest(title: string, paid: boolean) {
		const fundId = await createFund(getDb(), coord, { name: `Fonds ${title}`, deciders: 'coordinator' });
		const envelopeId = await addEnvelope(getDb(), coord, fundId, { year: 2015, amountCents: 50_000_00 });
		const experimentId = await createExperiment(getDb(), coord, {
			title,
			scenario: '',
			summary: '',
			sponsor: '',
			operator: '',
			partners: '',
			lineage: '',
			conclusions: ''
		});
		const id = await createRequest(getDb(), coord, {
			envelopeId,
			experimentId,
			title,
			justification: 'Pour le test',
			lines: [{ label: 'Prestation', category: 'prestation', amountCents: 10_000_00 }]
		});
		await advanceRequest(getDb(), coord, id, 'submitted');
		await decideRequest(getDb(), coord, id, { approve: true, reason: 'Oui' });
		if (paid) {
			const c = await recordEntry(getDb(), coord, { kind: 'commitment', envelopeId, experimentId, amountCents: 10_000_00, reference: 'Bon de commande' });
			await recordEntry(getDb(), coord, { kind: 'payment', envelopeId, experimentId, amountCents: 4_000_00, commitmentId: c, reference: 'Acompte' });
			await recordEntry(getDb(), coord, { kind: 'payment', envelopeId, experimentId, amountCents: 6_000_00, commitmentId: c, reference: 'Solde' });
		}
		return id;
	}

	beforeAll(async () => {
		lab = await makeLab(getDb());
		coord = (await makeMember(getDb(), lab, 'coordinator')).ctx;
		others = {
			resident: (await makeMember(getDb(), lab, 'resident')).ctx,
			sponsor: (await makeMember(getDb(), lab, 'sponsor')).ctx,
			partner: (await makeMember(getDb(), lab, 'partner')).ctx,
			referent: (await makeMember(getDb(), lab, 'referent')).ctx
		};
		anonymous = await labContext(getDb(), lab.slug, null);
		const otherLab = await makeLab(getDb());
		const other = await makeMember(getDb(), otherLab, 'coordinator');
		otherCoord = other.ctx;
		outsider = await contextFor(getDb(), lab, other.accountId);
		expect(outsider.role).toBeNull();
	});

	const code = async (p: Promise<unknown>) =>
		p.then(
			() => 'ok',
			(e: unknown) => (e instanceof DomainError ? `${e.status} ${e.code}` : String(e))
		);

	it('checks the authority’s SIRET (14 digits, Luhn) and keeps the settings unchanged on a mistake', async () => {
		expect(await code(setGrantingAuthority(getDb(), coord, { name: 'Région test', siret: '2313000210001' }))).toBe('400 opendata.siretFormat');
		expect(await code(setGrantingAuthority(getDb(), coord, { name: 'Région test', siret: '23130002100013' }))).toBe('400 opendata.siretChecksum');
		expect(await code(setGrantingAuthority(getDb(), others.resident, { name: 'Région test', siret: '23130002100012' }))).toBe('403 error.forbidden');
		expect(await grantingAuthority(getDb(), lab.id)).toEqual({ name: '', siret: '' });
		await setGrantingAuthority(getDb(), coord, { name: 'Région test', siret: '231 300 021 00012' });
		expect(await grantingAuthority(getDb(), lab.id)).toEqual({ name: 'Région test', siret: '23130002100012' });
	});

	it('lets only coordinators prepare and publish, audited, one snapshot per period', async () => {
		const id = await approvedRequest('Tiers-lieu', true);
		// Nothing complete yet: publishing is refused and writes nothing.
		expect(await code(publishSubventions(getDb(), coord, 2015))).toBe('409 opendata.nothingToPublish');
		expect(await publishedFiles(getDb(), anonymous)).toEqual([]);
		expect(await code(setGrantDetails(getDb(), others.resident, id, grantDetailsSchema.parse({ beneficiaryName: 'X' })))).toBe('403 error.forbidden');
		await setGrantDetails(
			getDb(),
			coord,
			id,
			grantDetailsSchema.parse({
				beneficiaryName: 'Coopérative « Tiers, lieu »',
				beneficiaryRna: 'W751234567',
				agreementDate: '2015-02-01',
				decisionReference: 'D-2015-7',
				aidNature: 'aide en nature;aide en numéraire',
				paymentTerms: 'échelonné',
				euNotified: 'on'
			})
		);
		expect(await grantDetails(getDb(), others.resident, id)).toMatchObject({ beneficiaryRna: 'W751234567', euNotified: true });
		for (const ctx of [...Object.values(others), anonymous, outsider]) {
			expect(await code(prepareSubventions(getDb(), ctx, 2015))).toBe('403 error.forbidden');
			expect(await code(publishSubventions(getDb(), ctx, 2015))).toBe('403 error.forbidden');
		}
		// The other lab's coordinator cannot reach this lab's request either.
		expect(await code(setGrantDetails(getDb(), otherCoord, id, grantDetailsSchema.parse({})))).toBe('404 fund.notFound');

		const res = await publishSubventions(getDb(), coord, 2015);
		expect(res).toEqual({ fileName: 'subventions-2015.csv', rows: 1 });
		const audit = await getDb().selectFrom('audit_entry').where('lab_id', '=', lab.id).where('action', '=', 'opendata.publish').selectAll().execute();
		expect(audit).toHaveLength(1);
		expect(JSON.parse(audit[0]!.summary ?? '{}')).toMatchObject({ period: '2015', rows: 1 });

		// Anonymous visitors see and download the published file; its text is the snapshot.
		expect((await publishedFiles(getDb(), anonymous)).map((f) => f.fileName)).toEqual(['subventions-2015.csv']);
		const file = await publishedFile(getDb(), anonymous, 'subventions-2015.csv');
		expect(scdlSubventionsErrors(Buffer.from(file.content))).toEqual([]);
		expect(file.content).toContain('"Coopérative « Tiers, lieu »"');
		expect(file.content).toContain(',W751234567,');
		expect(file.content).toContain(',aide en nature;aide en numéraire,échelonné,');
		expect(file.content).toMatch(/,\d{4}-\d{2}-\d{2}(\/\d{4}-\d{2}-\d{2})?,,oui,1\.00,\r\n$/);
		expect(await code(publishedFile(getDb(), anonymous, 'subventions-2016.csv'))).toBe('404 opendata.fileNotFound');
		expect(await code(publishedFile(getDb(), anonymous, '../etc/passwd'))).toBe('404 opendata.fileNotFound');
		// Another lab never sees it: its own page lists nothing, and the name leads nowhere there.
		expect(await publishedFiles(getDb(), otherCoord)).toEqual([]);
		expect(await code(publishedFile(getDb(), otherCoord, 'subventions-2015.csv'))).toBe('404 opendata.fileNotFound');

		// Publishing again replaces the snapshot of that period.
		await approvedRequest('Seconde subvention', false);
		await publishSubventions(getDb(), coord, 2015);
		expect(await getDb().selectFrom('open_data_file').where('lab_id', '=', lab.id).select('id').execute()).toHaveLength(1);
		await publishSubventions(getDb(), coord, null);
		expect((await publishedFiles(getDb(), anonymous)).map((f) => f.fileName).sort()).toEqual(['subventions-2015.csv', 'subventions.csv']);
	});
});
