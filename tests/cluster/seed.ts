/**
 * The cluster suite's lab, written straight into the database before the servers start: a
 * coordinator and a resident (with a session each, so no request pays for a password hash), a
 * fund envelope and its submitted requests, a session event, a draft post to schedule and a
 * published one to read. What the scenario then does goes through the servers.
 */
import { createDb, migrate, type Db } from '../../src/lib/server/db';
import { createSession } from '../../src/lib/server/auth/session';
import { addEnvelope, advanceRequest, createFund, createRequest } from '../../src/lib/server/fund/fund.service';
import { createExperiment } from '../../src/lib/server/experiments/experiments.service';
import { createEvent } from '../../src/lib/server/events/events.service';
import { changeState, createPost } from '../../src/lib/server/journal/posts.service';
import { makeLab, makeMember } from '../factories';

export const LAB = 'cluster';
export const REQUEST_CENTS = 1_000_00;

export interface Seeded {
	labId: string;
	coordinatorToken: string;
	envelopeId: string;
	budgetCents: number;
	requestIds: string[];
	eventId: string;
	draftPostId: string;
	publicPostSlug: string;
}

const post = (title: string) => ({
	kind: 'post' as const,
	title,
	slug: '',
	series: '',
	episode: '',
	excerpt: 'Un chapeau.',
	body: 'Un billet du labo, lu par beaucoup. '.repeat(40),
	tags: ['Réseau'],
	authorPersonIds: [],
	byLab: true,
	coverFileId: null,
	commentsOpen: true
});

export async function seedCluster(databaseUrl: string, opts: { requests: number; fundedRequests: number }): Promise<Seeded> {
	const db: Db = createDb({ url: databaseUrl, poolSize: 4 });
	try {
		await migrate(db);
		const lab = await makeLab(db, { slug: LAB, name: 'Labo Grappe', region: 'Provence-Alpes-Côte d’Azur' });
		const coord = await makeMember(db, lab, 'coordinator');
		const resident = await makeMember(db, lab, 'resident');
		const { token } = await createSession(db, coord.accountId);

		const budgetCents = opts.fundedRequests * REQUEST_CENTS;
		const fundId = await createFund(db, coord.ctx, { name: 'Fonds d’expérimentation', deciders: 'coordinator' });
		const envelopeId = await addEnvelope(db, coord.ctx, fundId, { year: new Date().getFullYear(), amountCents: budgetCents });
		const experimentId = await createExperiment(db, resident.ctx, {
			title: 'Guichet unique',
			scenario: '',
			summary: '',
			sponsor: '',
			operator: '',
			partners: '',
			lineage: '',
			conclusions: ''
		});
		const requestIds: string[] = [];
		for (let i = 0; i < opts.requests; i++) {
			const id = await createRequest(db, resident.ctx, {
				envelopeId,
				experimentId,
				title: `Demande ${i + 1}`,
				justification: 'AMO',
				lines: [{ label: 'AMO', category: 'prestation', amountCents: REQUEST_CENTS }]
			});
			await advanceRequest(db, resident.ctx, id, 'submitted');
			requestIds.push(id);
		}

		const start = new Date(Date.now() + 30 * 86_400_000);
		const eventId = await createEvent(db, resident.ctx, {
			kind: 'workshop',
			title: 'Atelier de coproduction',
			startsAt: start.toISOString(),
			endsAt: new Date(start.getTime() + 8 * 3_600_000).toISOString(),
			place: 'Marseille',
			onlineUrl: '',
			description: '',
			agenda: '',
			minutes: '',
			participants: [],
			decisions: []
		});

		const draftPostId = await createPost(db, coord.ctx, post('Billet programmé'));
		const publicId = await createPost(db, coord.ctx, post('Ce que le labo a appris'));
		await changeState(db, coord.ctx, publicId, { to: 'published' });
		const pub = await db.selectFrom('post').where('id', '=', publicId).select('slug').executeTakeFirstOrThrow();
		return { labId: lab.id, coordinatorToken: token, envelopeId, budgetCents, requestIds, eventId, draftPostId, publicPostSlug: pub.slug };
	} finally {
		await db.destroy();
	}
}
