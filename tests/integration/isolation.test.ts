/**
 * The policy matrix at the service level: every role × every protected operation, in the
 * member's own lab and against another lab. Services check the policy themselves, so a route
 * that forgot a check would still be refused here.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../setup/db';
import { contextFor, makeLab, makeMember, uid } from '../factories';
import type { Db } from '../../src/lib/server/db';
import { can, ACTIONS, type Action } from '../../src/lib/server/policy';
import { ROLES, type Role } from '../../src/lib/shared/roles';
import type { LabContext, LabSummary } from '../../src/lib/server/labs/labs.service';
import { labStats, updateLabSettings } from '../../src/lib/server/labs/labs.service';
import { changeRole, inviteMember, listMembers, listPendingInvitations, removeMember, revokeInvitation } from '../../src/lib/server/members/members.service';
import { listAudit } from '../../src/lib/server/audit/audit.service';
import { listOutbox } from '../../src/lib/server/mail/outbox';
import { createKnowledge, listKnowledge } from '../../src/lib/server/knowledge/knowledge.service';
import { search } from '../../src/lib/server/search/search.service';
import { cancelEvent, createEvent, deleteEvent, listEvents } from '../../src/lib/server/events/events.service';
import { addPartnerAccess, createExperiment, getExperiment, listExperiments } from '../../src/lib/server/experiments/experiments.service';
import { DomainError } from '../../src/lib/server/errors';
import { addEnvelope, advanceRequest, balanceOf, createFund, createRequest, decideRequest, listLedger } from '../../src/lib/server/fund/fund.service';
import { advanceSpec, createSpec, listSpecs } from '../../src/lib/server/specs/specs.service';
import { awardSpecification } from '../../src/lib/server/commands/award-specification';
import { joinNetwork, saveSkills } from '../../src/lib/server/network/network.service';
import { eraseReferent } from '../../src/lib/server/commands/erase-referent';
import { listDirectory } from '../../src/lib/server/network/directory';
import { networkDashboard } from '../../src/lib/server/network/dashboard';
import { previewImport } from '../../src/lib/server/network/import.service';
import { createPost } from '../../src/lib/server/journal/posts.service';
import { commenterData, moderationQueue } from '../../src/lib/server/journal/comments';
import { analyseWxr, parseWxr } from '../../src/lib/server/journal/wordpress';
import fs from 'node:fs';

const experiment = { title: 'Expérimentation', scenario: '', summary: '', sponsor: '', operator: '', partners: '', lineage: '', conclusions: '' };

async function fundFixture(db: Db, coord: LabContext) {
	const fundId = await createFund(db, coord, { name: `Fondex ${uid()}`, deciders: 'coordinator' });
	const envelopeId = await addEnvelope(db, coord, fundId, { year: 2014, amountCents: 100_000_00 });
	const experimentId = await createExperiment(db, coord, experiment);
	return { fundId, envelopeId, experimentId };
}

const referentProfile = { directorate: 'DGS', service: '', territory: '13' as const, skills: [], languages: '', daysPerMonth: 1, bio: '', unavailable: [] };

/** One real call per protected action; each creates what it needs in the target lab. */
type Op = (db: Db, ctx: LabContext, target: { lab: LabSummary; coord: LabContext }) => Promise<unknown>;
const OPS: Record<Exclude<Action, 'lab.viewPublic'>, Op> = {
	'lab.viewWorkspace': (db, ctx) => labStats(db, ctx),
	'lab.settings': (db, ctx) => updateLabSettings(db, ctx, { publishFunding: true }),
	'members.view': (db, ctx) => listMembers(db, ctx, {}),
	'members.invite': (db, ctx) => inviteMember(db, ctx, { email: `m-${uid()}@example.test`, name: 'x', role: 'partner', origin: 'http://x' }),
	'members.changeRole': async (db, ctx, t) => {
		const m = await makeMember(db, t.lab, 'partner');
		return changeRole(db, ctx, { membershipId: m.membershipId, role: 'sponsor' });
	},
	'members.remove': async (db, ctx, t) => {
		const m = await makeMember(db, t.lab, 'partner');
		return removeMember(db, ctx, { membershipId: m.membershipId });
	},
	'invitations.view': (db, ctx) => listPendingInvitations(db, ctx),
	'invitations.revoke': async (db, ctx, t) => {
		const inv = await inviteMember(db, t.coord, { email: `r-${uid()}@example.test`, name: 'x', role: 'partner', origin: 'http://x' });
		return revokeInvitation(db, ctx, inv.invitationId);
	},
	'audit.view': (db, ctx) => listAudit(db, ctx, {}),
	'outbox.view': (db, ctx) => listOutbox(db, ctx, {}),
	'knowledge.view': (db, ctx) => listKnowledge(db, ctx, {}),
	'knowledge.edit': (db, ctx) => createKnowledge(db, ctx, { type: 'lesson', title: `Leçon ${uid()}`, body: '', tags: [], visibility: 'lab' }),
	'search.use': (db, ctx) => search(db, ctx, { q: 'atelier' }),
	'events.view': (db, ctx) => listEvents(db, ctx, {}),
	'experiments.view': (db, ctx) => listExperiments(db, ctx),
	// Seeing an experiment one is not listed on: a partner is answered "not found", counted as refused.
	'experiments.viewAll': async (db, ctx, t) => {
		const id = await createExperiment(db, t.coord, experiment);
		try {
			return await getExperiment(db, ctx, id);
		} catch (e) {
			if ((e as DomainError).status === 404) throw new DomainError('error.forbidden', 403);
			throw e;
		}
	},
	'experiments.edit': (db, ctx) => createExperiment(db, ctx, experiment),
	'experiments.manageAccess': async (db, ctx, t) => {
		const id = await createExperiment(db, t.coord, experiment);
		const p = await makeMember(db, t.lab, 'partner');
		return addPartnerAccess(db, ctx, id, p.accountId);
	},
	'fund.view': async (db, ctx, t) => balanceOf(db, ctx, (await fundFixture(db, t.coord)).envelopeId),
	'fund.viewAll': async (db, ctx) => listLedger(db, ctx),
	'fund.request': async (db, ctx, t) => {
		const f = await fundFixture(db, t.coord);
		return createRequest(db, ctx, {
			envelopeId: f.envelopeId,
			experimentId: f.experimentId,
			title: 'Demande',
			justification: '',
			lines: [{ label: 'AMO', category: 'prestation', amountCents: 100_00 }]
		});
	},
	'fund.review': async (db, ctx, t) => {
		const f = await fundFixture(db, t.coord);
		const r = await createRequest(db, t.coord, {
			envelopeId: f.envelopeId,
			experimentId: f.experimentId,
			title: 'Demande',
			justification: '',
			lines: [{ label: 'AMO', category: '', amountCents: 100_00 }]
		});
		await advanceRequest(db, t.coord, r, 'submitted');
		// A sponsor reviews what it follows: the experiment is opened to it (as it is in a lab).
		if (ctx.role === 'sponsor' && ctx.lab.id === t.coord.lab.id && ctx.actor)
			await (await import('../../src/lib/server/experiments/experiments.service')).addPartnerAccess(db, t.coord, f.experimentId, ctx.actor.accountId);
		return advanceRequest(db, ctx, r, 'under_review');
	},
	'fund.manage': (db, ctx) => createFund(db, ctx, { name: 'Fondex', deciders: 'coordinator' }),
	'specs.view': (db, ctx) => listSpecs(db, ctx),
	'specs.edit': (db, ctx) => createSpec(db, ctx, 'template', { title: 'Modèle', sections: [] }),
	'specs.award': async (db, ctx, t) => {
		const f = await fundFixture(db, t.coord);
		const r = await createRequest(db, t.coord, {
			envelopeId: f.envelopeId,
			experimentId: f.experimentId,
			title: 'Demande',
			justification: '',
			lines: [{ label: 'AMO', category: '', amountCents: 1_000_00 }]
		});
		await advanceRequest(db, t.coord, r, 'submitted');
		await decideRequest(db, t.coord, r, { approve: true, reason: 'ok' });
		const spec = await createSpec(db, t.coord, 'specification', { title: 'CdC', sections: [], experimentId: f.experimentId });
		await advanceSpec(db, t.coord, spec, 'draft');
		await advanceSpec(db, t.coord, spec, 'under_review');
		return awardSpecification(db, ctx, spec, { operator: 'Agence', amountCents: 500_00, envelopeId: f.envelopeId });
	},
	'network.join': (db, ctx) => joinNetwork(db, ctx, referentProfile, true),
	'network.view': (db, ctx) => listDirectory(db, ctx, {}),
	'network.manage': (db, ctx) => saveSkills(db, ctx, ['World café']),
	'network.import': (db, ctx) => previewImport(db, ctx, Buffer.from('nom;email;territoire\nAlice;alice@example.test;13\n'), 'agents.csv'),
	'network.erase': async (db, ctx, t) => {
		const m = await makeMember(db, t.lab, 'referent');
		return eraseReferent(db, ctx, await joinNetwork(db, m.ctx, referentProfile, true));
	},
	'network.dashboard': (db, ctx) => networkDashboard(db, ctx, 2014),
	'journal.moderate': (db, ctx) => moderationQueue(db, ctx, {}),
	'journal.import': (db, ctx) => analyseWxr(db, ctx, parseWxr(fs.readFileSync('tests/fixtures/wordpress/ancien-blog-wxr-1.1.xml', 'utf8'))),
	'journal.commenters': (db, ctx) => commenterData(db, ctx, 'x@example.test'),
	'journal.write': (db, ctx) =>
		createPost(db, ctx, {
			kind: 'post',
			title: `Billet ${uid()}`,
			slug: '',
			series: '',
			episode: '',
			excerpt: '',
			body: '',
			tags: [],
			authorPersonIds: [],
			byLab: true,
			coverFileId: null,
			commentsOpen: true
		}),
	'events.edit': (db, ctx) =>
		createEvent(db, ctx, {
			kind: 'workshop',
			title: 'Atelier',
			startsAt: '2013-05-14T07:00:00.000Z',
			endsAt: '2013-05-14T15:00:00.000Z',
			place: '',
			onlineUrl: '',
			description: '',
			agenda: '',
			minutes: '',
			participants: [],
			decisions: []
		}),
	'events.cancel': async (db, ctx, t) =>
		cancelEvent(
			db,
			ctx,
			await createEvent(db, t.coord, {
				kind: 'workshop',
				title: 'Atelier',
				startsAt: '2013-05-14T07:00:00.000Z',
				endsAt: '2013-05-14T15:00:00.000Z',
				place: '',
				onlineUrl: '',
				description: '',
				agenda: '',
				minutes: '',
				participants: [],
				decisions: []
			}),
			''
		),
	'events.delete': async (db, ctx, t) =>
		deleteEvent(
			db,
			ctx,
			await createEvent(db, t.coord, {
				kind: 'workshop',
				title: 'Atelier',
				startsAt: '2013-05-14T07:00:00.000Z',
				endsAt: '2013-05-14T15:00:00.000Z',
				place: '',
				onlineUrl: '',
				description: '',
				agenda: '',
				minutes: '',
				participants: [],
				decisions: []
			})
		)
};

describeEachDialect('who may do what, in which lab', (getDb) => {
	let labA: LabSummary;
	let labB: LabSummary;
	let coordA: LabContext;
	let coordB: LabContext;
	const members: Partial<Record<Role, { accountId: string; ctx: LabContext }>> = {};

	beforeAll(async () => {
		labA = await makeLab(getDb());
		labB = await makeLab(getDb());
		coordA = (await makeMember(getDb(), labA, 'coordinator')).ctx;
		coordB = (await makeMember(getDb(), labB, 'coordinator')).ctx;
		for (const role of ROLES) members[role] = await makeMember(getDb(), labA, role);
	});

	it('has an operation for every protected action', () => {
		expect(Object.keys(OPS).sort()).toEqual(ACTIONS.filter((a) => a !== 'lab.viewPublic').sort());
	});

	for (const role of ROLES) {
		for (const [action, op] of Object.entries(OPS) as [Action, Op][]) {
			const allowed = can(role, action);
			it(`${role} of lab A ${allowed ? 'may' : 'may not'} ${action} in lab A`, async () => {
				const call = op(getDb(), members[role]!.ctx, { lab: labA, coord: coordA });
				if (allowed) await expect(call).resolves.not.toThrow();
				else await expect(call).rejects.toMatchObject({ status: 403 });
			});
			it(`${role} of lab A may not ${action} in lab B`, async () => {
				const ctxInB = await contextFor(getDb(), labB, members[role]!.accountId);
				expect(ctxInB.role).toBeNull();
				await expect(op(getDb(), ctxInB, { lab: labB, coord: coordB })).rejects.toMatchObject({ status: 403 });
			});
		}
	}

	it("a coordinator of lab A cannot reach lab B's records through lab A", async () => {
		const inB = await makeMember(getDb(), labB, 'resident');
		await expect(changeRole(getDb(), coordA, { membershipId: inB.membershipId, role: 'coordinator' })).rejects.toMatchObject({ status: 404 });
		await expect(removeMember(getDb(), coordA, { membershipId: inB.membershipId })).rejects.toMatchObject({ status: 404 });
		const inv = await inviteMember(getDb(), coordB, { email: `b-${uid()}@example.test`, name: 'x', role: 'partner', origin: 'http://x' });
		await expect(revokeInvitation(getDb(), coordA, inv.invitationId)).rejects.toMatchObject({ status: 404 });
		const listed = await listMembers(getDb(), coordA, { q: inB.email });
		expect(listed.total).toBe(0);
		const ctxB = await contextFor(getDb(), labB, inB.accountId);
		expect(ctxB.role).toBe('resident');
	});
});
