/**
 * The public site's experiments and knowledge, on both databases: publishing an experiment
 * (experiments' setPublished, called by the journal in its own audited transaction) shows it on
 * the lab's public page and changes the validators; taking it off hides it again.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { makeLab, makeMember } from '../factories';
import type { LabSummary } from '../../src/lib/server/labs/labs.service';
import { createExperiment } from '../../src/lib/server/experiments/experiments.service';
import { publicExperiment, publicShowcase, setExperimentPublished } from '../../src/lib/server/journal/public-site';
import { publicValidators } from '../../src/lib/server/journal/cache';
import { setPublished } from '../../src/lib/server/experiments';
import { listAudit } from '../../src/lib/server/audit/audit.service';

describeEachDialect('journal: the public site shows published experiments', (getDb) => {
	let lab: LabSummary;
	let coord: Awaited<ReturnType<typeof makeMember>>;
	let partner: Awaited<ReturnType<typeof makeMember>>;
	let id: string;

	beforeAll(async () => {
		lab = await makeLab(getDb());
		coord = await makeMember(getDb(), lab, 'coordinator');
		partner = await makeMember(getDb(), lab, 'partner');
		id = await createExperiment(getDb(), coord.ctx, {
			title: 'Guichet unique',
			scenario: 'Un guichet',
			summary: 'Résumé',
			sponsor: '',
			operator: '',
			partners: '',
			lineage: '',
			conclusions: ''
		});
	});

	it('publishes an experiment, audited, and takes it off again', async () => {
		const db = getDb();
		const etag = async () => (await publicValidators(db, lab.slug, `/l/${lab.slug}`, 'fr'))!.etag;
		const before = await etag();
		expect(await publicExperiment(db, lab, id)).toBeNull();
		await expect(setExperimentPublished(db, partner.ctx, id, true)).rejects.toMatchObject({ status: 403 });
		await setExperimentPublished(db, coord.ctx, id, true);
		expect((await publicShowcase(db, lab)).experiments.map((x) => x.id)).toContain(id);
		expect(await publicExperiment(db, lab, id)).toMatchObject({ id, title: 'Guichet unique' });
		expect(await etag()).not.toBe(before);
		const audit = await listAudit(db, coord.ctx, { action: 'experiment.publish' });
		expect(audit.rows[0]).toMatchObject({ subjectId: id, summary: { published: true } });
		await setExperimentPublished(db, coord.ctx, id, false);
		expect((await publicShowcase(db, lab)).experiments.map((x) => x.id)).not.toContain(id);
		expect(await etag()).toBe(before);
	});

	it("setPublished changes only the lab's own experiment, inside the caller's transaction", async () => {
		const db = getDb();
		const other = await makeLab(db);
		expect(await setPublished(db, other.id, id, true)).toBe(false);
		await expect(setExperimentPublished(db, coord.ctx, '00000000-0000-4000-8000-000000000000', true)).rejects.toMatchObject({ status: 404 });
		await expect(
			db.transaction().execute(async (trx) => {
				expect(await setPublished(trx, lab.id, id, true)).toBe(true);
				throw new Error('rollback');
			})
		).rejects.toThrow('rollback');
		expect(await publicExperiment(db, lab, id)).toBeNull();
	});
});
