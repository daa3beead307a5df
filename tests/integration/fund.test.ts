import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember } from '../factories';
import { createDb, type Db } from '../../src/lib/server/db';
import {
	addEnvelope,
	advanceRequest,
	balanceOf,
	consumptionByMonth,
	createFund,
	createRequest,
	decideRequest,
	getRequest as readRequest,
	monthlyConsumption,
	recordEntry,
	reverseEntry,
	setCommittee,
	updateDraftRequest
} from '../../src/lib/server/fund/fund.service';
import { FieldsError } from '../../src/lib/server/errors';
import { linesToText, parseBudgetLines } from '../../src/lib/shared/money';
import { createExperiment } from '../../src/lib/server/experiments/experiments.service';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';
import { totalsMatchLedger } from '../../src/lib/server/fund/ledger';

const experiment = { title: 'Lycée Claret', scenario: '', summary: '', sponsor: '', operator: '', partners: '', lineage: '', conclusions: '' };

describeEachDialect('experimentation fund', (getDb, dialect) => {
	let lab: LabSummary;
	let coord: LabContext;
	let resident: LabContext;
	let sponsor: Awaited<ReturnType<typeof makeMember>>;

	beforeAll(async () => {
		lab = await makeLab(getDb());
		coord = (await makeMember(getDb(), lab, 'coordinator')).ctx;
		resident = (await makeMember(getDb(), lab, 'resident')).ctx;
		sponsor = await makeMember(getDb(), lab, 'sponsor');
	});

	async function setup(amountCents = 10_000_00) {
		const fundId = await createFund(getDb(), coord, { name: 'Fondex', deciders: 'coordinator' });
		const envelopeId = await addEnvelope(getDb(), coord, fundId, { year: 2014, amountCents });
		const experimentId = await createExperiment(getDb(), resident, experiment);
		return { fundId, envelopeId, experimentId };
	}
	async function submitted(envelopeId: string, experimentId: string, amountCents: number, db: Db = getDb()) {
		const id = await createRequest(db, resident, {
			envelopeId,
			experimentId,
			title: 'Coordination',
			justification: 'Chef de projet',
			lines: [{ label: 'Coordination', category: 'personnel', amountCents }]
		});
		await advanceRequest(db, resident, id, 'submitted');
		return id;
	}

	it('charts an envelope over its own year, stretched to late entries, or over the months its entries span', async () => {
		const e = (kind: string, amount: number, at: string) => ({ kind, amount_cents: amount, created_at: at });
		const inYear = consumptionByMonth(2014, [
			e('allocation', 500, '2014-03-10T10:00:00Z'),
			e('commitment', 200, '2014-06-01T10:00:00Z'),
			e('payment', 100, '2015-02-03T10:00:00Z')
		]);
		expect(inYear.map((m) => `${m.year}-${m.month}`)).toEqual([...Array.from({ length: 12 }, (_, i) => `2014-${i + 1}`), '2015-1', '2015-2']);
		expect(inYear[1]).toEqual({ year: 2014, month: 2, allocated: 0, committed: 0, paid: 0 });
		expect(inYear[2]).toEqual({ year: 2014, month: 3, allocated: 500, committed: 0, paid: 0 });
		expect(inYear[11]).toEqual({ year: 2014, month: 12, allocated: 500, committed: 200, paid: 0 });
		expect(inYear.at(-1)).toEqual({ year: 2015, month: 2, allocated: 500, committed: 200, paid: 100 });
		// Entries recorded long after the envelope's year: the chart follows them, not 2014's months.
		const late = consumptionByMonth(2014, [e('allocation', 500, '2026-11-20T10:00:00Z'), e('release', 100, '2026-11-21T10:00:00Z')]);
		expect(late.map((m) => `${m.year}-${m.month}`)).toEqual(['2025-12', ...Array.from({ length: 11 }, (_, i) => `2026-${i + 1}`)]);
		expect(late.at(-1)).toEqual({ year: 2026, month: 11, allocated: 400, committed: 0, paid: 0 });
		expect(late.at(-2)!.allocated).toBe(0);
		expect(consumptionByMonth(2020, []).map((m) => m.year)).toEqual(Array(12).fill(2020));

		// Recorded today in a 2014 envelope: today's month holds them.
		const { envelopeId, experimentId } = await setup();
		await decideRequest(getDb(), coord, await submitted(envelopeId, experimentId, 1_000_00), { approve: true, reason: 'ok' });
		const months = await monthlyConsumption(getDb(), coord, envelopeId);
		const now = new Date();
		expect(months.at(-1)).toMatchObject({ year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, allocated: 1_000_00 });
	});

	it('edits a draft request (title, justification, budget lines), audited, and refuses once submitted', async () => {
		const { envelopeId, experimentId } = await setup();
		const id = await createRequest(getDb(), resident, {
			envelopeId,
			experimentId,
			title: 'Brouillon',
			justification: 'x',
			lines: [{ label: 'AMO', category: 'prestation', amountCents: 1_000_00 }]
		});
		const typed = parseBudgetLines('AMO ; prestation ; 12 500\nDéplacements ; frais ; 800,50');
		if (!typed.ok) throw new Error('lines');
		await updateDraftRequest(getDb(), resident, id, { title: 'Coordination 2014', justification: 'Chef de projet', lines: typed.rows });
		const r = await readRequest(getDb(), coord, id);
		expect(r).toMatchObject({ title: 'Coordination 2014', justification: 'Chef de projet', amountCents: 13_300_50, state: 'draft' });
		expect(r.lines.map((l) => [l.label, l.category, l.amountCents])).toEqual([
			['AMO', 'prestation', 12_500_00],
			['Déplacements', 'frais', 800_50]
		]);
		// The lines come back in the form as they are typed.
		expect(linesToText(r.lines)).toBe('AMO ; prestation ; 12500,00\nDéplacements ; frais ; 800,50');
		const audit = await getDb().selectFrom('audit_entry').where('subject_id', '=', id).where('action', '=', 'fundingRequest.edit').select('actor_id').execute();
		expect(audit).toEqual([{ actor_id: resident.actor!.accountId }]);
		// A sponsor may not create requests, so may not edit them either.
		await expect(updateDraftRequest(getDb(), sponsor.ctx, id, { title: 'x', justification: '', lines: typed.rows })).rejects.toMatchObject({ status: 403 });
		await advanceRequest(getDb(), resident, id, 'submitted');
		await expect(updateDraftRequest(getDb(), resident, id, { title: 'Trop tard', justification: '', lines: typed.rows })).rejects.toMatchObject({
			code: 'fund.notDraft',
			status: 409
		});
		expect((await readRequest(getDb(), coord, id)).title).toBe('Coordination 2014');
	});

	it('tells a grant above the request and a missing reason together', async () => {
		const { envelopeId, experimentId } = await setup();
		const r = await submitted(envelopeId, experimentId, 6_000_00);
		const both = await decideRequest(getDb(), coord, r, { approve: true, amountCents: 7_000_00, reason: '  ' }).catch((e: unknown) => e);
		expect(both).toBeInstanceOf(FieldsError);
		expect((both as FieldsError).errors).toEqual({ amount: { key: 'fund.approveTooMuch', params: { max: 6000 } }, reason: { key: 'form.required' } });
		await expect(decideRequest(getDb(), coord, r, { approve: false, reason: '' })).rejects.toMatchObject({ errors: { reason: { key: 'form.required' } } });
		expect((await readRequest(getDb(), coord, r)).state).toBe('submitted');
	});

	it('approves a smaller amount once, allocates it, and refuses a second decision', async () => {
		const { envelopeId, experimentId } = await setup();
		const r = await submitted(envelopeId, experimentId, 6_000_00);
		await expect(decideRequest(getDb(), coord, r, { approve: true, amountCents: 7_000_00, reason: 'x' })).rejects.toMatchObject({
			code: 'fund.approveTooMuch'
		});
		await decideRequest(getDb(), coord, r, { approve: true, amountCents: 4_500_00, reason: 'Budget serré' });
		await expect(decideRequest(getDb(), coord, r, { approve: false, reason: 'x' })).rejects.toMatchObject({ code: 'fund.alreadyDecided', status: 409 });
		expect(await balanceOf(getDb(), coord, envelopeId)).toEqual({ budget: 10_000_00, allocated: 4_500_00, committed: 0, paid: 0, available: 5_500_00 });
		await expect(decideRequest(getDb(), resident, await submitted(envelopeId, experimentId, 100), { approve: true, reason: 'x' })).rejects.toMatchObject({
			status: 403
		});
	});

	it('never lets commitments pass the allocation nor payments the commitment', async () => {
		const { envelopeId, experimentId } = await setup();
		await decideRequest(getDb(), coord, await submitted(envelopeId, experimentId, 3_000_00), { approve: true, reason: 'ok' });
		await expect(recordEntry(getDb(), coord, { kind: 'commitment', envelopeId, experimentId, amountCents: 3_000_01, reference: 'AMO' })).rejects.toMatchObject({
			code: 'fund.allocationExceeded'
		});
		const c = await recordEntry(getDb(), coord, { kind: 'commitment', envelopeId, experimentId, amountCents: 2_000_00, reference: 'AMO' });
		await recordEntry(getDb(), coord, { kind: 'payment', envelopeId, experimentId, amountCents: 1_500_00, commitmentId: c, reference: 'Facture 1' });
		await expect(
			recordEntry(getDb(), coord, { kind: 'payment', envelopeId, experimentId, amountCents: 500_01, commitmentId: c, reference: 'Facture 2' })
		).rejects.toMatchObject({ code: 'fund.commitmentExceeded' });
		await expect(
			recordEntry(getDb(), coord, { kind: 'release', envelopeId, experimentId, amountCents: 1_000_01, reference: 'Reliquat' })
		).rejects.toMatchObject({ code: 'fund.releaseExceeded' });
		await recordEntry(getDb(), coord, { kind: 'release', envelopeId, experimentId, amountCents: 1_000_00, reference: 'Reliquat' });
		expect(await balanceOf(getDb(), coord, envelopeId)).toEqual({
			budget: 10_000_00,
			allocated: 2_000_00,
			committed: 2_000_00,
			paid: 1_500_00,
			available: 8_000_00
		});
	});

	it('corrects by reversal entries, never by editing; the ledger refuses edits and deletions', async () => {
		const { envelopeId, experimentId } = await setup();
		await decideRequest(getDb(), coord, await submitted(envelopeId, experimentId, 1_000_00), { approve: true, reason: 'ok' });
		const c = await recordEntry(getDb(), coord, { kind: 'commitment', envelopeId, experimentId, amountCents: 800_00, reference: 'Erreur' });
		await reverseEntry(getDb(), coord, c, 'Saisie en double');
		await expect(reverseEntry(getDb(), coord, c, 'encore')).rejects.toMatchObject({ code: 'fund.alreadyReversed' });
		expect((await balanceOf(getDb(), coord, envelopeId)).committed).toBe(0);
		await expect(getDb().updateTable('ledger_entry').set({ amount_cents: 1 }).where('id', '=', c).execute()).rejects.toThrow(/append-only/);
		await expect(getDb().deleteFrom('ledger_entry').where('id', '=', c).execute()).rejects.toThrow(/append-only/);
	});

	it('lets a committee decide when the lab says so', async () => {
		const fundId = await createFund(getDb(), coord, { name: 'Fondex comité', deciders: 'committee' });
		const envelopeId = await addEnvelope(getDb(), coord, fundId, { year: 2015, amountCents: 1_000_00 });
		const experimentId = await createExperiment(getDb(), resident, experiment);
		await setCommittee(getDb(), coord, fundId, [sponsor.accountId]);
		const r = await submitted(envelopeId, experimentId, 500_00);
		await expect(decideRequest(getDb(), coord, r, { approve: true, reason: 'x' })).rejects.toMatchObject({ status: 403 });
		// A committee member reads and decides the fund's requests, followed or not.
		expect((await readRequest(getDb(), sponsor.ctx, r)).state).toBe('submitted');
		await decideRequest(getDb(), sponsor.ctx, r, { approve: false, reason: 'Hors priorités' });
	});

	it('shows sponsors only the requests of experiments they follow, and takes reviewers’ comments', async () => {
		const { addPartnerAccess } = await import('../../src/lib/server/experiments/experiments.service');
		const { commentRequest, listRequests, getRequest, listLedger } = await import('../../src/lib/server/fund/fund.service');
		const { envelopeId, experimentId } = await setup();
		const followed = await submitted(envelopeId, experimentId, 100_00);
		const other = await createExperiment(getDb(), resident, { ...experiment, title: 'Autre' });
		const hidden = await submitted(envelopeId, other, 100_00);
		await addPartnerAccess(getDb(), coord, experimentId, sponsor.accountId);
		const mine = (await listRequests(getDb(), sponsor.ctx)).map((r) => r.id);
		expect(mine).toContain(followed);
		expect(mine).not.toContain(hidden);
		await expect(getRequest(getDb(), sponsor.ctx, hidden)).rejects.toMatchObject({ status: 404 });
		await expect(listLedger(getDb(), sponsor.ctx)).rejects.toMatchObject({ status: 403 });
		await commentRequest(getDb(), sponsor.ctx, followed, 'Pertinent, mais le coût journalier est élevé.');
		await expect(commentRequest(getDb(), sponsor.ctx, hidden, 'x')).rejects.toMatchObject({ status: 404 });
		// Nor may they move a request they cannot read; the one they follow they may.
		await expect(advanceRequest(getDb(), sponsor.ctx, hidden, 'under_review')).rejects.toMatchObject({ status: 404 });
		expect((await getRequest(getDb(), coord, hidden)).state).toBe('submitted');
		await advanceRequest(getDb(), sponsor.ctx, followed, 'under_review');
		expect((await getRequest(getDb(), coord, followed)).comments.map((c) => c.body)).toEqual(['Pertinent, mais le coût journalier est élevé.']);
	});

	it('publishes funded experiments only when the lab chooses to', async () => {
		const { publicFunding } = await import('../../src/lib/server/fund/fund.service');
		const { updateLabSettings } = await import('../../src/lib/server/labs/labs.service');
		const { envelopeId, experimentId } = await setup();
		await decideRequest(getDb(), coord, await submitted(envelopeId, experimentId, 700_00), { approve: true, amountCents: 650_00, reason: 'ok' });
		expect(await publicFunding(getDb(), lab.id)).toEqual([]);
		await expect(updateLabSettings(getDb(), resident, { publishFunding: true })).rejects.toMatchObject({ status: 403 });
		await updateLabSettings(getDb(), coord, { publishFunding: true });
		expect(await publicFunding(getDb(), lab.id)).toContainEqual({ title: 'Lycée Claret', year: 2014, grantedCents: expect.any(Number) });
	});

	it('refuses bad amounts and another lab’s records', async () => {
		const { fundId, envelopeId, experimentId } = await setup();
		await expect(addEnvelope(getDb(), coord, fundId, { year: 2014, amountCents: 5 })).rejects.toMatchObject({ code: 'fund.envelopeExists' });
		await expect(
			createRequest(getDb(), resident, { envelopeId, experimentId, title: 'x', justification: '', lines: [{ label: 'x', category: '', amountCents: -5 }] })
		).rejects.toMatchObject({ code: 'fund.badAmount' });
		const other = (await makeMember(getDb(), await makeLab(getDb()), 'coordinator')).ctx;
		await expect(balanceOf(getDb(), other, envelopeId)).rejects.toMatchObject({ status: 404 });
		await expect(recordEntry(getDb(), other, { kind: 'commitment', envelopeId, experimentId, amountCents: 1, reference: '' })).rejects.toMatchObject({
			status: 404
		});
	});

	it('50 concurrent approvals on separate connections never overdraw the envelope', async () => {
		const { envelopeId, experimentId } = await setup(20_000_00);
		// 50 requests of 1,000 € for an envelope of 20,000 €: exactly 20 can pass.
		const ids: string[] = [];
		for (let i = 0; i < 50; i++) ids.push(await submitted(envelopeId, experimentId, 1_000_00));
		const url = (getDb() as unknown as { __url?: string }).__url;
		let results: { ok: boolean; code?: string }[];
		if (dialect === 'postgres') {
			const dbs = ids.map(() => createDb({ url: url!, poolSize: 1 }));
			results = await Promise.all(
				ids.map((id, i) =>
					decideRequest(dbs[i]!, coord, id, { approve: true, reason: 'ok' }).then(
						() => ({ ok: true }),
						(e: { code?: string }) => ({ ok: false, code: e.code })
					)
				)
			);
			await Promise.all(dbs.map((d) => d.destroy()));
		} else {
			// SQLite connections in one thread would wait on each other: use 10 threads, 5 requests each.
			const chunks = Array.from({ length: 10 }, (_, k) => ids.slice(k * 5, k * 5 + 5));
			const parts = await Promise.all(
				chunks.map(
					(requestIds) =>
						new Promise<{ ok: boolean; code?: string }[]>((resolve, reject) => {
							const w = new Worker(path.resolve(__dirname, 'fund-worker.mjs'), { workerData: { url, ctx: coord, requestIds } });
							w.once('message', resolve);
							w.once('error', reject);
						})
				)
			);
			results = parts.flat();
		}
		expect(results.filter((r) => r.ok)).toHaveLength(20);
		expect(results.filter((r) => !r.ok).every((r) => r.code === 'fund.envelopeExceeded')).toBe(true);
		expect(await balanceOf(getDb(), coord, envelopeId)).toMatchObject({ allocated: 20_000_00, available: 0 });
		expect(await totalsMatchLedger(getDb())).toBe(true);
	}, 120_000);

	it('keeps running totals equal to the sums of the ledger', async () => {
		expect(await totalsMatchLedger(getDb())).toBe(true);
	});
});
