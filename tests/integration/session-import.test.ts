import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember } from '../factories';
import type { Db } from '../../src/lib/server/db';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';
import { DomainError } from '../../src/lib/server/errors';
import { createEvent, type EventInput } from '../../src/lib/server/events/events.service';
import { listParticipants, saveAttributes } from '../../src/lib/server/sessions/sessions.service';
import {
	MAX_SESSION_IMPORT_BYTES,
	MAX_SESSION_IMPORT_ROWS,
	confirmStaged,
	importContext,
	importParticipants,
	previewParticipants,
	stageParticipants,
	type ImportError
} from '../../src/lib/server/sessions/import';

const session: EventInput = {
	kind: 'workshop',
	title: 'Atelier de coproduction',
	startsAt: '2026-05-14T07:00:00.000Z',
	endsAt: '2026-05-14T15:00:00.000Z',
	place: 'Marseille',
	onlineUrl: '',
	description: '',
	agenda: '',
	minutes: '',
	participants: [],
	decisions: []
};

const HEADER = 'nom;email;organisation;type_acteur;echelle;direction;Ancienneté';
const utf8 = (lines: string[], bom = true): Buffer => Buffer.from((bom ? '\ufeff' : '') + lines.join('\r\n') + '\r\n', 'utf8');
/** Characters of Latin-1 only, so 'latin1' gives the Windows-1252 bytes a spreadsheet writes. */
const cp1252 = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n') + '\r\n', 'latin1');

async function rejection(p: Promise<unknown>): Promise<DomainError> {
	const e = await p.then(
		() => null,
		(err: unknown) => err
	);
	expect(e).toBeInstanceOf(DomainError);
	return e as DomainError;
}

describeEachDialect('session participants import', (getDb) => {
	let lab: LabSummary;
	let resident: LabContext;
	let coordinator: LabContext;
	let referent: LabContext;
	let outsider: LabContext;
	const db = (): Db => getDb();
	const newSession = () => createEvent(db(), resident, session);
	const count = async (eventId: string) => (await listParticipants(db(), lab.id, eventId)).length;

	/** The file is refused: exactly these errors, the import refused on the first, nothing written. */
	async function expectRefused(bytes: Buffer, errors: ImportError[]) {
		const eventId = await newSession();
		const preview = await previewParticipants(db(), resident, eventId, bytes);
		expect(preview.errors).toEqual(errors);
		const e = await rejection(importParticipants(db(), resident, eventId, bytes));
		expect(e.code).toBe(errors[0]!.key);
		expect(e.params.line).toBe(errors[0]!.line);
		const staged = await stageParticipants(db(), resident, eventId, bytes, 'f.csv');
		expect(staged.jobId).toBeNull();
		expect(await count(eventId)).toBe(0);
		return preview;
	}

	beforeAll(async () => {
		lab = await makeLab(db());
		resident = (await makeMember(db(), lab, 'resident')).ctx;
		coordinator = (await makeMember(db(), lab, 'coordinator')).ctx;
		referent = (await makeMember(db(), lab, 'referent')).ctx;
		outsider = (await makeMember(db(), await makeLab(db()), 'coordinator')).ctx;
		await saveAttributes(db(), coordinator, [
			{ label: 'Ancienneté', kind: 'numeric' },
			{ label: 'Quartier', kind: 'categorical' }
		]);
	});

	const clean = utf8([
		HEADER,
		'Léa Martin;lea.martin@example.org;Commune de Gap;Public;commune;Direction de la citoyenneté;3,5',
		'Yanis Benali;YANIS@Example.org;Start-up Aix;privé;Intercommunalité;;12',
		'',
		'Claire Dubois;;Association du quartier;associative;region;;',
		'Marc Petit;;;citoyen;État;;0.5'
	]);

	it('imports a clean file: codes from French or English words, numbers with a comma, every row counted', async () => {
		const eventId = await newSession();
		const preview = await previewParticipants(db(), resident, eventId, clean);
		expect(preview.errors).toEqual([]);
		expect(preview.encoding).toBe('utf-8');
		expect(preview.counts).toEqual({ new: 4, updated: 0, unchanged: 0, total: 4 });
		expect(preview.rows.map((r) => [r.line, r.status])).toEqual([
			[2, 'new'],
			[3, 'new'],
			[5, 'new'],
			[6, 'new']
		]);
		expect(await count(eventId)).toBe(0); // a preview writes nothing

		expect(await importParticipants(db(), resident, eventId, clean)).toEqual({ added: 4, updated: 0, unchanged: 0 });
		const people = await listParticipants(db(), lab.id, eventId);
		expect(people.map((p) => [p.name, p.email, p.organisation, p.actorType, p.scale, p.directorate, p.extra, p.source])).toEqual([
			['Léa Martin', 'lea.martin@example.org', 'Commune de Gap', 'public', 'commune', 'Direction de la citoyenneté', { x_anciennete: '3.5' }, 'import'],
			['Yanis Benali', 'yanis@example.org', 'Start-up Aix', 'private', 'intercommunality', '', { x_anciennete: '12' }, 'import'],
			['Claire Dubois', '', 'Association du quartier', 'associative', 'region', '', {}, 'import'],
			['Marc Petit', '', '', 'citizen', 'state', '', { x_anciennete: '0.5' }, 'import']
		]);
	});

	it('importing the same file twice changes nothing; a changed row is shown and applied as an update', async () => {
		const eventId = await newSession();
		await importParticipants(db(), resident, eventId, clean);
		const before = await listParticipants(db(), lab.id, eventId);

		const again = await previewParticipants(db(), resident, eventId, clean);
		expect(again.counts).toEqual({ new: 0, updated: 0, unchanged: 4, total: 4 });
		expect(again.rows.every((r) => r.status === 'unchanged')).toBe(true);
		const staged = await stageParticipants(db(), resident, eventId, clean, 'f.csv');
		expect(staged.jobId).toBeNull(); // nothing to confirm
		expect(await importParticipants(db(), resident, eventId, clean)).toEqual({ added: 0, updated: 0, unchanged: 4 });
		expect(await listParticipants(db(), lab.id, eventId)).toEqual(before);

		// English headers and codes, other order: Léa changes scale, Claire (no e-mail) is found by name.
		const changed = utf8(
			[
				'Name,E-mail,Actor type,Scale,Organization,Directorate',
				'Léa Martin,lea.martin@example.org,public,region,Commune de Gap,Direction de la citoyenneté',
				'claire dubois,,associative,region,Association du quartier,'
			],
			false
		);
		const p = await previewParticipants(db(), resident, eventId, changed);
		expect(p.errors).toEqual([]);
		expect(p.rows.map((r) => [r.line, r.status])).toEqual([
			[2, 'updated'], // scale changed, Ancienneté dropped
			[3, 'updated'] // name spelled differently
		]);
	});

	it('refuses unknown or missing columns with one error on line 1 naming them', async () => {
		await expectRefused(utf8(['organisation;courriel;âge;Couleur', 'Mairie;a@b.fr;3;bleu']), [
			{
				line: 1,
				key: 'session.import.badColumns',
				params: {
					missing: 'nom',
					missingCount: 1,
					unknown: 'âge, Couleur',
					unknownCount: 2,
					expected: 'nom, email, organisation, type_acteur, echelle, direction, Ancienneté, Quartier'
				}
			}
		]);
		await expectRefused(utf8(['Nom;Email;Nom', 'A;a@b.fr;B']), [
			{
				line: 1,
				key: 'session.import.unknownColumns',
				params: { columns: 'Nom', count: 1, expected: 'nom, email, organisation, type_acteur, echelle, direction, Ancienneté, Quartier' }
			}
		]);
		await expectRefused(utf8(['email;direction', 'a@b.fr;DGS']), [
			{
				line: 1,
				key: 'session.import.missingColumns',
				params: { columns: 'nom', count: 1, expected: 'nom, email, organisation, type_acteur, echelle, direction, Ancienneté, Quartier' }
			}
		]);
	});

	it('refuses a bad e-mail, naming its line (blank lines counted)', async () => {
		await expectRefused(utf8(['nom;email', 'Léa;lea@example.org', '', 'Paul;paul@', 'Zoé;zoe example.org']), [
			{ line: 4, key: 'session.import.emailInvalid', params: { value: 'paul@' } },
			{ line: 5, key: 'session.import.emailInvalid', params: { value: 'zoe example.org' } }
		]);
	});

	it('refuses an unknown actor type', async () => {
		await expectRefused(utf8(['nom;type_acteur', 'Léa;public', 'Paul;élu']), [
			{ line: 3, key: 'session.import.actorTypeInvalid', params: { value: 'élu', expected: 'public, privé, institutionnel, associatif, citoyen' } }
		]);
	});

	it('refuses an unknown scale', async () => {
		await expectRefused(utf8(['nom;echelle', 'Léa;Département', 'Paul;Europe', 'Zoé;']), [
			{ line: 3, key: 'session.import.scaleInvalid', params: { value: 'Europe', expected: 'commune, intercommunalité, département, région, État' } }
		]);
	});

	it('refuses the same person twice, the later line naming the first', async () => {
		await expectRefused(
			utf8(['nom;email', 'Léa Martin;lea@example.org', 'Jean Dupont;', 'Léa M.;LEA@example.org', 'jean  dupont;', 'Jean Dupont;jean@example.org']),
			[
				{ line: 4, key: 'session.import.duplicateEmail', params: { email: 'lea@example.org', first: 2 } },
				{ line: 5, key: 'session.import.duplicateName', params: { name: 'jean dupont', first: 3 } }
			]
		);
	});

	it('refuses a value that is not a number in a numeric attribute of the lab', async () => {
		await expectRefused(utf8(['nom;ancienneté;quartier', 'Léa;3,5;Nord', 'Paul;trois;Sud', 'Zoé;;', 'Marc;2 ans;']), [
			{ line: 3, key: 'session.import.numberInvalid', params: { column: 'Ancienneté', value: 'trois' } },
			{ line: 5, key: 'session.import.numberInvalid', params: { column: 'Ancienneté', value: '2 ans' } }
		]);
	});

	it('reports several errors of one line and of several lines, and a missing name', async () => {
		await expectRefused(utf8(['nom;email;type_acteur;echelle', ';x@;martien;lune', 'Ok;;public;région']), [
			{ line: 2, key: 'session.import.nameRequired', params: {} },
			{ line: 2, key: 'session.import.emailInvalid', params: { value: 'x@' } },
			{ line: 2, key: 'session.import.actorTypeInvalid', params: { value: 'martien', expected: 'public, privé, institutionnel, associatif, citoyen' } },
			{ line: 2, key: 'session.import.scaleInvalid', params: { value: 'lune', expected: 'commune, intercommunalité, département, région, État' } }
		]);
		await expectRefused(utf8(['nom;email']), [{ line: 2, key: 'session.import.noRows', params: {} }]);
	});

	it('reads a Windows-1252 file with its accents', async () => {
		const bytes = cp1252([
			'Nom;Échelle;Type_Acteur;Organisation',
			'Hélène Côté;État;Privé;Société générale',
			'François Lefèvre;Département;institutionnel;Conseil départemental'
		]);
		expect(bytes.includes(0xe9)).toBe(true); // é as one byte: not UTF-8
		const eventId = await newSession();
		const preview = await previewParticipants(db(), resident, eventId, bytes);
		expect(preview.encoding).toBe('windows-1252');
		expect(preview.errors).toEqual([]);
		expect(await importParticipants(db(), resident, eventId, bytes)).toEqual({ added: 2, updated: 0, unchanged: 0 });
		const people = await listParticipants(db(), lab.id, eventId);
		expect(people.map((p) => [p.name, p.scale, p.actorType, p.organisation])).toEqual([
			['Hélène Côté', 'state', 'private', 'Société générale'],
			['François Lefèvre', 'departement', 'institutional', 'Conseil départemental']
		]);

		await expectRefused(cp1252(['nom;échelle', 'Hélène;État', 'Irène;Métropole']), [
			{ line: 3, key: 'session.import.scaleInvalid', params: { value: 'Métropole', expected: 'commune, intercommunalité, département, région, État' } }
		]);
	});

	it('refuses files over 2 MB or 2,000 rows', async () => {
		const eventId = await newSession();
		const big = Buffer.alloc(MAX_SESSION_IMPORT_BYTES + 1, 0x41);
		expect((await rejection(previewParticipants(db(), resident, eventId, big))).code).toBe('session.import.tooLarge');
		const rows = utf8(['nom', ...Array.from({ length: MAX_SESSION_IMPORT_ROWS + 1 }, (_, i) => `P${i}`)]);
		expect((await rejection(importParticipants(db(), resident, eventId, rows))).code).toBe('session.import.tooManyRows');
		const max = utf8(['nom', ...Array.from({ length: MAX_SESSION_IMPORT_ROWS }, (_, i) => `P${i}`)]);
		expect((await previewParticipants(db(), resident, eventId, max)).counts.new).toBe(MAX_SESSION_IMPORT_ROWS);
		expect(await count(eventId)).toBe(0);
	});

	it('keeps a checked file until it is confirmed, once', async () => {
		const eventId = await newSession();
		const staged = await stageParticipants(db(), resident, eventId, clean, 'participants.csv');
		expect(staged.jobId).not.toBeNull();
		expect(await count(eventId)).toBe(0);
		const other = await newSession();
		expect((await rejection(confirmStaged(db(), resident, other, staged.jobId!))).status).toBe(404);
		expect((await rejection(confirmStaged(db(), referent, eventId, staged.jobId!))).status).toBe(403);
		expect(await confirmStaged(db(), resident, eventId, staged.jobId!)).toEqual({ added: 4, updated: 0, unchanged: 0 });
		expect((await rejection(confirmStaged(db(), resident, eventId, staged.jobId!))).code).toBe('session.import.jobNotReady');
		expect(await count(eventId)).toBe(4);
		expect(await count(other)).toBe(0);
		const job = await db().selectFrom('import_job').where('id', '=', staged.jobId!).select(['state', 'payload']).executeTakeFirstOrThrow();
		expect(job).toEqual({ state: 'done', payload: '{}' });
	});

	it('lets a resident import, refuses a referent (403) and another lab’s event (404)', async () => {
		const eventId = await newSession();
		expect((await rejection(previewParticipants(db(), referent, eventId, clean))).status).toBe(403);
		expect((await rejection(importParticipants(db(), referent, eventId, clean))).status).toBe(403);
		expect((await rejection(importContext(db(), referent, eventId))).status).toBe(403);
		expect(await count(eventId)).toBe(0);

		const e = await rejection(importParticipants(db(), outsider, eventId, clean));
		expect([e.status, e.code]).toEqual([404, 'event.notFound']);
		expect((await rejection(stageParticipants(db(), outsider, eventId, clean, 'f.csv'))).status).toBe(404);
		expect((await rejection(importContext(db(), outsider, eventId))).status).toBe(404);
		expect(await count(eventId)).toBe(0);

		expect((await importParticipants(db(), resident, eventId, clean)).added).toBe(4);
		const c = await importContext(db(), resident, eventId);
		expect(c.header).toEqual(['nom', 'email', 'organisation', 'type_acteur', 'echelle', 'direction', 'Ancienneté', 'Quartier']);
		expect(c.example).toHaveLength(c.header.length);
	});
});
