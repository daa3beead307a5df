import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember } from '../factories';
import type { Db } from '../../src/lib/server/db';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';
import { DomainError } from '../../src/lib/server/errors';
import { decodeCsv } from '../../src/lib/server/csv';
import {
	jobProgress,
	MAX_IMPORT_BYTES,
	previewImport,
	runImport,
	startImport,
	TEMPLATE_HEADER,
	templateRows,
	type ImportError
} from '../../src/lib/server/network/import.service';
import { acceptNetworkInvitation, invitationByToken, joinByInvitation } from '../../src/lib/server/network/invitations';
import { listDirectory } from '../../src/lib/server/network/directory';
import { saveSkills } from '../../src/lib/server/network/network.service';
import { toCsv } from '../../src/lib/server/csv';
import { parseProfileForm, parseUnavailable } from '../../src/lib/shared/network-forms';

const ORIGIN = 'https://labo.example';
const HEADER = 'nom;email;direction;service;territoire;competences;langues;jours_par_mois';

const utf8 = (lines: string[], bom = true): Buffer => Buffer.from((bom ? '\ufeff' : '') + lines.join('\r\n') + '\r\n', 'utf8');

async function expectDomainError(p: Promise<unknown>, code: string): Promise<void> {
	const e = await p.then(
		() => null,
		(err: unknown) => err
	);
	expect(e).toBeInstanceOf(DomainError);
	expect((e as DomainError).code).toBe(code);
}

describe('decodeCsv', () => {
	it('reads ; or , from the header, quoted cells with doubled quotes and line breaks, and counts physical lines', () => {
		const text = ['nom,email,territoire', '"Dupont, Jean",jean@x.fr,13', '', '"Line ""one""', 'two",b@x.fr,83', 'Last,c@x.fr,84'].join('\n');
		const csv = decodeCsv(Buffer.from(text, 'utf8'));
		expect(csv.separator).toBe(',');
		expect(csv.encoding).toBe('utf-8');
		expect(csv.records).toEqual([
			{ line: 1, cells: ['nom', 'email', 'territoire'] },
			{ line: 2, cells: ['Dupont, Jean', 'jean@x.fr', '13'] },
			{ line: 4, cells: ['Line "one"\ntwo', 'b@x.fr', '83'] },
			{ line: 6, cells: ['Last', 'c@x.fr', '84'] }
		]);
		expect(csv.unclosedQuoteLine).toBeNull();
	});

	it('strips the byte-order mark, prefers ; and honours an Excel "sep=" line', () => {
		const a = decodeCsv(Buffer.from('\ufeffnom;email\r\n"a";"b"\r\n', 'utf8'));
		expect(a.separator).toBe(';');
		expect(a.records[0]!.cells).toEqual(['nom', 'email']);
		const b = decodeCsv(Buffer.from('sep=,\nnom;x,email\nA;1,b@x.fr\n', 'utf8'));
		expect(b.separator).toBe(',');
		expect(b.records).toEqual([
			{ line: 2, cells: ['nom;x', 'email'] },
			{ line: 3, cells: ['A;1', 'b@x.fr'] }
		]);
	});

	it('falls back to Windows-1252 when the bytes are not UTF-8', () => {
		// "Hélène;Œuvre – l’été;€" in Windows-1252.
		const bytes = Buffer.from([
			0x48, 0xe9, 0x6c, 0xe8, 0x6e, 0x65, 0x3b, 0x8c, 0x75, 0x76, 0x72, 0x65, 0x20, 0x96, 0x20, 0x6c, 0x92, 0xe9, 0x74, 0xe9, 0x3b, 0x80
		]);
		const csv = decodeCsv(bytes);
		expect(csv.encoding).toBe('windows-1252');
		expect(csv.records[0]!.cells).toEqual(['Hélène', 'Œuvre – l’été', '€']);
	});

	it('reports a quote never closed', () => {
		const csv = decodeCsv(Buffer.from('nom;email\n"open;x\nmore\n', 'utf8'));
		expect(csv.unclosedQuoteLine).toBe(2);
	});
});

describe('profile form', () => {
	it('reads unavailable periods one per line, reporting the bad line', () => {
		expect(parseUnavailable('2026-07-01 ; 2026-07-31\n\n2026-08-15')).toEqual({
			ok: true,
			rows: [
				{ from: '2026-07-01', to: '2026-07-31' },
				{ from: '2026-08-15', to: '2026-08-15' }
			]
		});
		expect(parseUnavailable('2026-07-01 ; 2026-07-31\n2026-02-30 ; 2026-03-01')).toEqual({ ok: false, line: 2, key: 'network.profile.badPeriod' });
		expect(parseUnavailable('\n2026-07-31 ; 2026-07-01')).toEqual({ ok: false, line: 2, key: 'network.profile.periodReversed' });
	});

	it('parses the fields, several skills, and keeps what was typed on errors', () => {
		const f = new FormData();
		f.set('directorate', ' Direction des lycées ');
		f.set('territory', '13');
		f.append('skills', 'a');
		f.append('skills', 'b');
		f.set('daysPerMonth', '');
		f.set('unavailable', '2026-07-01 ; 2026-07-31');
		const ok = parseProfileForm(f);
		expect(ok.ok && ok.data).toEqual({
			directorate: 'Direction des lycées',
			service: '',
			territory: '13',
			skills: ['a', 'b'],
			languages: '',
			daysPerMonth: 1,
			bio: '',
			unavailable: [{ from: '2026-07-01', to: '2026-07-31' }]
		});
		f.set('territory', '99');
		f.set('daysPerMonth', '40');
		f.set('unavailable', 'juillet');
		const bad = parseProfileForm(f);
		expect(bad.ok).toBe(false);
		if (!bad.ok) {
			expect(Object.keys(bad.errors).sort()).toEqual(['daysPerMonth', 'territory', 'unavailable']);
			expect(bad.errors.unavailable).toEqual({ key: 'network.profile.badPeriod', params: { line: 1 } });
			expect(bad.values).toMatchObject({ territory: '99', skills: 'a,b', unavailable: 'juillet' });
		}
	});
});

describeEachDialect('network import', (getDb) => {
	let lab: LabSummary;
	let coord: LabContext;
	let resident: LabContext;
	let otherCoord: LabContext;

	const count = async (table: 'import_job' | 'network_invitation' | 'outbox_message', db: Db = getDb()) =>
		Number(
			(
				await db
					.selectFrom(table)
					.where('lab_id', '=', lab.id)
					.select((eb) => eb.fn.countAll().as('n'))
					.executeTakeFirstOrThrow()
			).n
		);

	const clean = [
		HEADER,
		'Léa Martin;Lea.Martin@Region.example;Direction des lycées;Vie lycéenne;13;Facilitation|design de service;anglais;2',
		'"Marc ""Le Grand"" Petit";marc.petit@region.example;DGS;;Var;prototypage;;',
		'Inès Haddad;ines.haddad@region.example;Direction de la culture;"Patrimoine, archives";Région;Facilitation, Prototypage;arabe, anglais;0'
	];

	beforeAll(async () => {
		lab = await makeLab(getDb());
		coord = (await makeMember(getDb(), lab, 'coordinator')).ctx;
		resident = (await makeMember(getDb(), lab, 'resident')).ctx;
		otherCoord = (await makeMember(getDb(), await makeLab(getDb()), 'coordinator')).ctx;
		await saveSkills(getDb(), coord, ['Facilitation', 'Design de service', 'Prototypage']);
	});

	it('refuses residents: only coordinators import', async () => {
		await expectDomainError(previewImport(getDb(), resident, utf8(clean), 'agents.csv'), 'error.forbidden');
	});

	it('previews a clean file without writing invitations, then imports it: invitations and mails', async () => {
		const p = await previewImport(getDb(), coord, utf8(clean), 'agents.csv');
		expect(p.errors).toEqual([]);
		expect(p.encoding).toBe('utf-8');
		expect(p.counts).toEqual({ new: 3, updated: 0, unchanged: 0, total: 3 });
		expect(p.sample.map((r) => [r.line, r.name, r.email, r.territory, r.skills, r.daysPerMonth, r.status])).toEqual([
			[2, 'Léa Martin', 'lea.martin@region.example', '13', ['Facilitation', 'Design de service'], 2, 'new'],
			[3, 'Marc "Le Grand" Petit', 'marc.petit@region.example', '83', ['Prototypage'], 1, 'new'],
			[4, 'Inès Haddad', 'ines.haddad@region.example', 'region', ['Facilitation', 'Prototypage'], 0, 'new']
		]);
		expect(p.sample[2]!.service).toBe('Patrimoine, archives');
		expect(p.jobId).toBeTruthy();
		expect(await count('network_invitation')).toBe(0);
		expect(await count('outbox_message')).toBe(0);
		expect(await jobProgress(getDb(), coord, p.jobId!)).toMatchObject({ state: 'ready', total: 3, done: 0 });

		// Someone else's lab cannot see or run the job; a resident cannot either.
		await expectDomainError(jobProgress(getDb(), otherCoord, p.jobId!), 'network.import.jobNotFound');
		await expectDomainError(runImport(getDb(), otherCoord, p.jobId!, ORIGIN), 'network.import.jobNotFound');
		await expectDomainError(runImport(getDb(), resident, p.jobId!, ORIGIN), 'error.forbidden');

		const result = await runImport(getDb(), coord, p.jobId!, ORIGIN);
		expect(result).toEqual({ new: 3, updated: 0, unchanged: 0, total: 3 });
		const progress = await jobProgress(getDb(), coord, p.jobId!);
		expect(progress).toMatchObject({ state: 'done', total: 3, done: 3, result: { new: 3, updated: 0, unchanged: 0, total: 3 } });
		const job = await getDb().selectFrom('import_job').where('id', '=', p.jobId!).select('payload').executeTakeFirstOrThrow();
		expect(job.payload).toBe('[]');
		// A job runs once.
		await expectDomainError(runImport(getDb(), coord, p.jobId!, ORIGIN), 'network.import.jobNotReady');

		const invitations = await getDb().selectFrom('network_invitation').where('lab_id', '=', lab.id).selectAll().orderBy('email').execute();
		expect(invitations.map((i) => [i.email, i.name, i.accepted_at])).toEqual([
			['ines.haddad@region.example', 'Inès Haddad', null],
			['lea.martin@region.example', 'Léa Martin', null],
			['marc.petit@region.example', 'Marc "Le Grand" Petit', null]
		]);
		expect(JSON.parse(invitations[1]!.profile)).toEqual({
			directorate: 'Direction des lycées',
			service: 'Vie lycéenne',
			territory: '13',
			skills: ['Facilitation', 'Design de service'],
			languages: 'anglais',
			daysPerMonth: 2
		});

		const mails = await getDb().selectFrom('outbox_message').where('lab_id', '=', lab.id).selectAll().orderBy('to_address').execute();
		expect(mails.map((m) => m.to_address)).toEqual(['ines.haddad@region.example', 'lea.martin@region.example', 'marc.petit@region.example']);
		const link = new RegExp(`${ORIGIN}/l/${lab.slug}/network/join/([\\w-]+)`).exec(mails[1]!.text_body);
		expect(link, mails[1]!.text_body).toBeTruthy();
		expect(mails[1]!.text_body).toContain('Bonjour Léa Martin');
		expect((await invitationByToken(getDb(), lab.id, link![1]!))?.email).toBe('lea.martin@region.example');

		const audit = await getDb().selectFrom('audit_entry').where('lab_id', '=', lab.id).where('action', '=', 'network.import').selectAll().execute();
		expect(audit).toHaveLength(1);
		expect(JSON.parse(audit[0]!.summary)).toMatchObject({ file: 'agents.csv', new: 3 });
	});

	it('re-importing the same file changes nothing and sends no mail', async () => {
		const before = await getDb()
			.selectFrom('network_invitation')
			.where('lab_id', '=', lab.id)
			.select(['email', 'token_hash', 'updated_at'])
			.orderBy('email')
			.execute();
		const mailsBefore = await count('outbox_message');
		const p = await previewImport(getDb(), coord, utf8(clean), 'agents.csv');
		expect(p.errors).toEqual([]);
		expect(p.counts).toEqual({ new: 0, updated: 0, unchanged: 3, total: 3 });
		expect(p.sample.every((r) => r.status === 'unchanged')).toBe(true);
		expect(await runImport(getDb(), coord, p.jobId!, ORIGIN)).toEqual({ new: 0, updated: 0, unchanged: 3, total: 3 });
		expect(await count('outbox_message')).toBe(mailsBefore);
		const after = await getDb()
			.selectFrom('network_invitation')
			.where('lab_id', '=', lab.id)
			.select(['email', 'token_hash', 'updated_at'])
			.orderBy('email')
			.execute();
		expect(after).toEqual(before);
	});

	it('updates a pending invitation whose data changed, keeping its link and sending nothing', async () => {
		const before = await getDb()
			.selectFrom('network_invitation')
			.where('lab_id', '=', lab.id)
			.where('email', '=', 'marc.petit@region.example')
			.selectAll()
			.executeTakeFirstOrThrow();
		const mailsBefore = await count('outbox_message');
		const changed = [...clean];
		changed[2] = 'Marc Petit;marc.petit@region.example;DGS;Mission innovation;83;prototypage;italien;3';
		const p = await previewImport(getDb(), coord, utf8(changed), 'agents-v2.csv');
		expect(p.counts).toEqual({ new: 0, updated: 1, unchanged: 2, total: 3 });
		expect(p.sample.find((r) => r.line === 3)?.status).toBe('updated');
		expect(await runImport(getDb(), coord, p.jobId!, ORIGIN)).toMatchObject({ new: 0, updated: 1, unchanged: 2 });
		const after = await getDb().selectFrom('network_invitation').where('id', '=', before.id).selectAll().executeTakeFirstOrThrow();
		expect(after.token_hash).toBe(before.token_hash);
		expect(after.name).toBe('Marc Petit');
		expect(JSON.parse(after.profile)).toMatchObject({ service: 'Mission innovation', languages: 'italien', daysPerMonth: 3 });
		expect(await count('outbox_message')).toBe(mailsBefore);
	});

	it('names missing and unknown columns on line 1, and checks nothing else', async () => {
		const jobs = await count('import_job');
		const p = await previewImport(getDb(), coord, utf8(['Nom;Courriel;Région;Téléphone', 'x;pas-un-email;99;0600000000']), 'bad.csv');
		expect(p.jobId).toBeNull();
		expect(p.errors).toEqual([
			{
				line: 1,
				key: 'network.import.badColumns',
				params: { missing: 'territoire', missingCount: 1, unknown: 'Région, Téléphone', unknownCount: 2, expected: TEMPLATE_HEADER.join(', ') }
			}
		]);
		// Headers match whatever the case, accents or language.
		const en = await previewImport(getDb(), coord, utf8(['Name,E-mail,Territory,Skills,Days per month', 'Zoé,zoe@region.example,84,,']), 'en.csv');
		expect(en.errors).toEqual([]);
		expect(en.counts.new).toBe(1);
		const missing = await previewImport(getDb(), coord, utf8(['nom;territoire', 'x;13']), 'bad.csv');
		expect(missing.errors).toEqual([
			{ line: 1, key: 'network.import.missingColumns', params: { columns: 'email', count: 1, expected: TEMPLATE_HEADER.join(', ') } }
		]);
		expect(await count('import_job')).toBe(jobs + 1); // only the clean English file
	});

	it('reports every error of every line with its physical line, and writes nothing', async () => {
		const jobs = await count('import_job');
		const invitations = await count('network_invitation');
		const mails = await count('outbox_message');
		const rows = [
			HEADER, // 1
			'Anne Valide;anne@region.example;;;04;;;', // 2
			'Bruno;bruno(at)region.example;;;05;;;', // 3
			'Chloé;chloe@region.example;;;06;Facilitation|Jonglerie|Cuisine;;', // 4
			'"Anne', // 5–6: a quoted name over two lines
			'bis";ANNE@region.example;;;13;;;',
			'', // 7: blank
			'Denis;denis@region.example;;;Paris;;;40', // 8
			';;;;;;;1', // 9: nothing but a number
			'Eva;eva@region.example;;;;;;-1;extra' // 10
		];
		const p = await previewImport(getDb(), coord, utf8(rows, false), 'errors.csv');
		expect(p.jobId).toBeNull();
		const errs: ImportError[] = [
			{ line: 3, key: 'network.import.emailInvalid', params: { value: 'bruno(at)region.example' } },
			{ line: 4, key: 'network.import.unknownSkills', params: { skills: 'Jonglerie, Cuisine', count: 2 } },
			{ line: 5, key: 'network.import.duplicateEmail', params: { email: 'anne@region.example', first: 2 } },
			{ line: 8, key: 'network.import.territoryInvalid', params: { value: 'Paris' } },
			{ line: 8, key: 'network.import.daysInvalid', params: { value: '40' } },
			{ line: 9, key: 'network.import.nameRequired', params: {} },
			{ line: 9, key: 'network.import.emailRequired', params: {} },
			{ line: 9, key: 'network.import.territoryRequired', params: {} },
			{ line: 10, key: 'network.import.tooManyCells', params: { count: 9, expected: 8 } },
			{ line: 10, key: 'network.import.territoryRequired', params: {} },
			{ line: 10, key: 'network.import.daysInvalid', params: { value: '-1' } }
		];
		expect(p.errors).toEqual(errs);
		expect(p.counts.total).toBe(7);
		expect(await count('import_job')).toBe(jobs);
		expect(await count('network_invitation')).toBe(invitations);
		expect(await count('outbox_message')).toBe(mails);
	});

	it('reads a Windows-1252 file with its accents', async () => {
		const text = [
			'nom;email;direction;territoire;langues',
			'Hélène Lefèvre;helene.lefevre@region.example;Direction de l’économie;Bouches-du-Rhône;français, occitan'
		].join('\r\n');
		const bytes = Buffer.from([...text].map((c) => (c === '’' ? 0x92 : c.charCodeAt(0))));
		const p = await previewImport(getDb(), coord, bytes, 'excel.csv');
		expect(p.encoding).toBe('windows-1252');
		expect(p.errors).toEqual([]);
		expect(p.sample[0]).toMatchObject({ name: 'Hélène Lefèvre', directorate: 'Direction de l’économie', territory: '13', languages: 'français, occitan' });
	});

	it('refuses a file over the size limit, storing nothing', async () => {
		const jobs = await count('import_job');
		const big = Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x61);
		await expectDomainError(previewImport(getDb(), coord, big, 'big.csv'), 'network.import.tooLarge');
		expect(await count('import_job')).toBe(jobs);
	});

	it('offers a template that imports as it is', async () => {
		const csv = toCsv(TEMPLATE_HEADER, templateRows([{ label: 'Facilitation' }, { label: 'Prototypage' }]));
		const p = await previewImport(getDb(), coord, Buffer.from(csv, 'utf8'), 'modele.csv');
		expect(p.errors).toEqual([]);
		expect(p.sample[0]).toMatchObject({ territory: '13', skills: ['Facilitation', 'Prototypage'], daysPerMonth: 2 });
	});

	it('marks a job failed, with the message key, when writing breaks', async () => {
		const p = await previewImport(getDb(), coord, utf8([HEADER, 'Yves Casse;yves.casse@region.example;;;13;;;1']), 'casse.csv');
		// A payload the database refuses (a name is required).
		const rows = JSON.parse((await getDb().selectFrom('import_job').where('id', '=', p.jobId!).select('payload').executeTakeFirstOrThrow()).payload);
		rows[0].name = null;
		await getDb()
			.updateTable('import_job')
			.set({ payload: JSON.stringify(rows) })
			.where('id', '=', p.jobId!)
			.execute();
		const invitations = await count('network_invitation');
		await expect(runImport(getDb(), coord, p.jobId!, ORIGIN)).rejects.toThrow();
		expect(await jobProgress(getDb(), coord, p.jobId!)).toMatchObject({ state: 'failed', done: 0, result: { error: 'network.import.failed' } });
		expect(await count('network_invitation')).toBe(invitations);
	});

	it('imports 10,000 rows by chunks, the progress reaching the total', { timeout: 180_000 }, async () => {
		const otherLab = await makeLab(getDb());
		const c = (await makeMember(getDb(), otherLab, 'coordinator')).ctx;
		const rows = [HEADER];
		for (let i = 0; i < 10_000; i++)
			rows.push(`Agent ${i};agent.${i}@region.example;Direction ${i % 7};;${['04', '05', '06', '13', '83', '84'][i % 6]};;;${i % 4}`);
		const p = await previewImport(getDb(), c, utf8(rows), 'big.csv');
		expect(p.errors).toEqual([]);
		expect(p.counts).toEqual({ new: 10_000, updated: 0, unchanged: 0, total: 10_000 });
		expect(p.sample).toHaveLength(20);
		const { finished } = await startImport(getDb(), c, p.jobId!, ORIGIN);
		const seen = new Set<number>();
		let progress = await jobProgress(getDb(), c, p.jobId!);
		while (progress.state === 'running') {
			seen.add(progress.done);
			await new Promise((r) => setTimeout(r, 50));
			progress = await jobProgress(getDb(), c, p.jobId!);
		}
		await finished;
		progress = await jobProgress(getDb(), c, p.jobId!);
		expect(progress).toMatchObject({ state: 'done', total: 10_000, done: 10_000, result: { new: 10_000 } });
		for (const d of seen) expect(d % 500).toBe(0); // progress moves chunk by chunk
		const n = async (table: 'network_invitation' | 'outbox_message') =>
			Number(
				(
					await getDb()
						.selectFrom(table)
						.where('lab_id', '=', otherLab.id)
						.select((eb) => eb.fn.countAll().as('n'))
						.executeTakeFirstOrThrow()
				).n
			);
		expect(await n('network_invitation')).toBe(10_000);
		expect(await n('outbox_message')).toBe(10_000);
	});

	it('an invited agent who consents becomes an active referent; importing them again leaves them alone', async () => {
		const mail = await getDb()
			.selectFrom('outbox_message')
			.where('lab_id', '=', lab.id)
			.where('to_address', '=', 'ines.haddad@region.example')
			.select('text_body')
			.executeTakeFirstOrThrow();
		const token = /\/network\/join\/([\w-]+)/.exec(mail.text_body)![1]!;
		const inv = await invitationByToken(getDb(), lab.id, token);
		expect(inv?.profile.skills).toEqual(['Facilitation', 'Prototypage']);
		const skills = await getDb().selectFrom('network_skill').where('lab_id', '=', lab.id).select(['id', 'label']).execute();
		const ids = skills.filter((s) => inv!.profile.skills.includes(s.label)).map((s) => s.id);
		const referentId = await acceptNetworkInvitation(
			getDb(),
			lab.id,
			token,
			{
				directorate: inv!.profile.directorate,
				service: inv!.profile.service,
				territory: inv!.profile.territory,
				skills: ids,
				languages: inv!.profile.languages,
				daysPerMonth: 2,
				bio: '',
				unavailable: []
			},
			true
		);
		const referent = await getDb().selectFrom('referent').where('id', '=', referentId).selectAll().executeTakeFirstOrThrow();
		expect(referent.withdrawn_at).toBeNull();
		expect(referent.territory).toBe('region');
		const dir = await listDirectory(getDb(), coord, {});
		expect(dir.rows.map((r) => r.name)).toContain('Inès Haddad');
		expect((await invitationByToken(getDb(), lab.id, token))?.acceptedAt).toBeTruthy();
		await expectDomainError(
			acceptNetworkInvitation(
				getDb(),
				lab.id,
				token,
				{ directorate: '', service: '', territory: '13', skills: [], languages: '', daysPerMonth: 1, bio: '', unavailable: [] },
				true
			),
			'network.invitationUsed'
		);

		// Joining by the mailed link, as the page does: accepted, the personal link issued and
		// mailed, all at once; the link then says it was used.
		const profile = { directorate: '', service: '', territory: '13' as const, skills: [], languages: '', daysPerMonth: 1, bio: '', unavailable: [] };
		const leaMail = await getDb()
			.selectFrom('outbox_message')
			.where('lab_id', '=', lab.id)
			.where('to_address', '=', 'lea.martin@region.example')
			.select('text_body')
			.executeTakeFirstOrThrow();
		const leaToken = /\/network\/join\/([\w-]+)/.exec(leaMail.text_body)![1]!;
		const joined = await joinByInvitation(getDb(), lab, leaToken, profile);
		expect(joined.name).toBe('Léa Martin');
		expect(joined.manageUrl).toMatch(new RegExp(`/l/${lab.slug}/network/me/[\\w-]+$`));
		const leaMails = await getDb()
			.selectFrom('outbox_message')
			.where('lab_id', '=', lab.id)
			.where('to_address', '=', 'lea.martin@region.example')
			.select('text_body')
			.execute();
		expect(leaMails).toHaveLength(2);
		expect(leaMails.some((m) => m.text_body.includes(joined.manageUrl))).toBe(true);
		await expectDomainError(joinByInvitation(getDb(), lab, leaToken, profile), 'network.join.used');

		// Same row with other data: they are in the network now, so the import leaves them alone.
		const mails = await count('outbox_message');
		const p = await previewImport(getDb(), coord, utf8([HEADER, 'Inès Haddad;ines.haddad@region.example;Autre direction;;13;;;5']), 'again.csv');
		expect(p.counts).toEqual({ new: 0, updated: 0, unchanged: 1, total: 1 });
		await runImport(getDb(), coord, p.jobId!, ORIGIN);
		expect(await count('outbox_message')).toBe(mails);
		expect((await getDb().selectFrom('referent').where('id', '=', referentId).select('directorate').executeTakeFirstOrThrow()).directorate).toBe(
			'Direction de la culture'
		);
	});
});
