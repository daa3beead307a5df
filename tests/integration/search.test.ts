import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { contextFor, makeAccount, makeLab, makeMember } from '../factories';
import { indexDocument, removeDocument, search, type SearchDoc } from '../../src/lib/server/search/search.service';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';

// One behaviour contract, checked on both databases.
describeEachDialect('French-aware search', (getDb, dialect) => {
	let lab: LabSummary;
	let resident: LabContext;
	let partner: LabContext;
	let visitor: LabContext;
	const doc = (over: Partial<SearchDoc> & Pick<SearchDoc, 'id' | 'title' | 'body'>): SearchDoc => ({
		type: 'knowledge',
		labId: lab.id,
		visibility: 'lab',
		date: '2013-05-14T09:00:00.000Z',
		subtype: 'principle',
		...over
	});

	beforeAll(async () => {
		lab = await makeLab(getDb());
		resident = (await makeMember(getDb(), lab, 'resident')).ctx;
		partner = (await makeMember(getDb(), lab, 'partner')).ctx;
		visitor = await contextFor(getDb(), lab, (await makeAccount(getDb())).accountId);
		const other = await makeLab(getDb());
		const db = getDb();
		await indexDocument(
			db,
			doc({
				id: 'k1',
				title: 'Coordination du labo',
				body: "Une fonction de coordination technique garantit l'organisation et la capitalisation.",
				tags: ['coordination', 'gouvernance']
			})
		);
		await indexDocument(
			db,
			doc({
				id: 'k2',
				title: 'Expérimentations en milieu réel',
				body: 'Les expérimentations testent les principes issus des ateliers.',
				visibility: 'partners',
				subtype: 'method'
			})
		);
		await indexDocument(
			db,
			doc({
				id: 'e1',
				type: 'event',
				title: 'Atelier de mai',
				body: 'Un atelier avec les agents de la Direction des Lycées.',
				visibility: 'public',
				subtype: 'workshop',
				date: '2013-05-20T09:00:00.000Z'
			})
		);
		await indexDocument(db, doc({ id: 'x1', labId: other.id, title: 'Coordination ailleurs', body: 'Coordination dans un autre labo.' }));
	});

	it('ignores accents and case, and matches word beginnings', async () => {
		for (const q of ['experimentation', 'EXPÉRIMENTATION', 'expérim']) {
			const r = await search(getDb(), resident, { q });
			expect(
				r.hits.map((h) => h.id),
				q
			).toEqual(['k2']);
		}
	});

	it(`matches plurals (${dialect === 'sqlite' ? 'prefix and a final s/x' : 'French stemming'})`, async () => {
		expect((await search(getDb(), resident, { q: 'ateliers' })).hits.map((h) => h.id).sort()).toEqual(['e1', 'k2']);
		expect((await search(getDb(), resident, { q: 'principe' })).hits.map((h) => h.id)).toEqual(['k2']);
	});

	it('requires every word, ranks title matches first and highlights matches in the snippet', async () => {
		const r = await search(getDb(), resident, { q: 'coordination technique' });
		expect(r.hits.map((h) => h.id)).toEqual(['k1']);
		expect(r.hits[0]!.snippet).toMatch(/<mark>coordination<\/mark>/i);
		expect(r.hits[0]!.snippet).toContain('l&#39;organisation');
	});

	it('never returns another lab’s records, and only what the role may see', async () => {
		expect((await search(getDb(), resident, { q: 'coordination' })).hits.map((h) => h.id)).toEqual(['k1']);
		expect((await search(getDb(), partner, { q: 'expérimentations atelier' })).hits.map((h) => h.id)).toEqual(['k2']);
		expect((await search(getDb(), partner, { q: 'coordination' })).hits).toEqual([]);
		// Someone who is not a member of the lab cannot search it at all.
		await expect(search(getDb(), visitor, { q: 'atelier' })).rejects.toMatchObject({ status: 403 });
	});

	it('filters by type, subtype, tag and date', async () => {
		expect((await search(getDb(), resident, { q: 'atelier', types: ['event'] })).hits.map((h) => h.id)).toEqual(['e1']);
		expect((await search(getDb(), resident, { q: 'atelier', subtype: 'method' })).hits.map((h) => h.id)).toEqual(['k2']);
		expect((await search(getDb(), resident, { q: 'coordination', tag: 'gouvernance' })).hits.map((h) => h.id)).toEqual(['k1']);
		expect((await search(getDb(), resident, { q: 'coordination', tag: 'gouv' })).hits).toEqual([]);
		expect((await search(getDb(), resident, { q: 'atelier', from: '2013-05-15' })).hits.map((h) => h.id)).toEqual(['e1']);
		expect((await search(getDb(), resident, { q: 'atelier', to: '2013-05-15' })).hits.map((h) => h.id)).toEqual(['k2']);
	});

	it('explains instead of failing on stop words, symbols or query syntax', async () => {
		expect(await search(getDb(), resident, { q: 'le la les de' })).toEqual({ hits: [], explanation: 'search.onlyStopWords' });
		expect(await search(getDb(), resident, { q: '*** ?? !' })).toEqual({ hits: [], explanation: 'search.empty' });
		for (const q of ['"coordination', 'coordination OR NOT', "coord' & | !", 'NEAR(a b)', 'lab : x']) {
			await expect(search(getDb(), resident, { q })).resolves.toBeTruthy();
		}
	});

	it('indexes markdown as plain text: snippets show no [[…]], ** or ##', async () => {
		await indexDocument(
			getDb(),
			doc({
				id: 'k4',
				title: 'Synthèse',
				body: '## Retour du terrain\n\nLa **maquette** du [[Atelier de mai]] et [[knowledge:0b8c9c3e-7d0e-4c55-9d5e-3f0d8a1b2c3d]] : _prototypage_ rapide.\n\n- un point\n- `code` & <b>x</b>'
			})
		);
		const hit = (await search(getDb(), resident, { q: 'maquette' })).hits[0]!;
		expect(hit.id).toBe('k4');
		const text = hit.snippet.replace(/<\/?mark>/g, '');
		for (const raw of ['[[', ']]', '**', '##', '_prototypage_', '`', 'knowledge:']) expect(text, raw).not.toContain(raw);
		expect(text).toContain('Retour du terrain');
		expect(text).toContain('La maquette du Atelier de mai');
		expect(text).toContain('prototypage rapide');
		// A word inside former markup is still found, and the title of a reference too.
		expect((await search(getDb(), resident, { q: 'prototypage' })).hits.map((h) => h.id)).toEqual(['k4']);
	});

	it('follows updates and removals', async () => {
		await indexDocument(getDb(), doc({ id: 'k3', title: 'Brouillon', body: 'idée de mobilisation' }));
		expect((await search(getDb(), resident, { q: 'mobilisation' })).hits.map((h) => h.id)).toEqual(['k3']);
		await indexDocument(getDb(), doc({ id: 'k3', title: 'Brouillon', body: 'idée revue' }));
		expect((await search(getDb(), resident, { q: 'mobilisation' })).hits).toEqual([]);
		await removeDocument(getDb(), 'knowledge', 'k3');
		expect((await search(getDb(), resident, { q: 'brouillon' })).hits).toEqual([]);
	});
});
