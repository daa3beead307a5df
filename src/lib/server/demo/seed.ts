import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { toCount, inTransaction } from '../db/util';
import { insertAccount } from '../auth/auth.service';
import { createLab, labContext } from '../labs/labs.service';
import { addMembership } from '../members/membership';
import { createKnowledge, type KnowledgeInput } from '../knowledge/knowledge.service';
import { rebuildLinks } from '../links/links.service';
import { createEvent, type EventInput } from '../events/events.service';
import { addLesson, addMilestone, addPartnerAccess, addTest, createExperiment, moveExperiment, setTeam, setVerdict } from '../experiments/experiments.service';
import { EXPERIMENT_STATUSES, type ExperimentStatus } from '$lib/shared/experiments';
import { addEnvelope, advanceRequest, createFund, createRequest, decideRequest, recordEntry } from '../fund/fund.service';
import { seedOpenData } from './opendata';
import { createSpec, draftFromModel } from '../specs/specs.service';
import type { Role } from '$lib/shared/roles';
import { networkEvents, seedNetworkPeople, seedOpenCall, SEMINAR_FACILITATORS } from './network';
import { seedSeminarSession } from './sessions';
import { seedJournal } from './journal';
import { seedUpcoming } from './upcoming';

/** Shared by every demo account; printed at start. Demo data only: never use it for real data. */
export const DEMO_PASSWORD = 'demo-labo-paca';
/** DEMO_PASSWORD hashed once (scrypt N=2^17): the password is public, the hash saves a costly computation per seed. */
export const DEMO_PASSWORD_HASH = 'scrypt$131072$8$1$qVWlzPsk9F+XU3Qs9SXkIg==$8anE9CSHQWG0Oiom6jhwK0ns1wmliOBEUgArd4hhw28=';

export interface DemoAccount {
	email: string;
	name: string;
	role: Role;
	lab: string;
	/** An installation administrator (the "Installation" area). */
	admin?: boolean;
}

// People are invented (the surname "Exemple" marks them); institutions come from the seed.
export const DEMO_ACCOUNTS: DemoAccount[] = [
	{ email: 'coordination@labo-paca.example', name: 'Camille Exemple', role: 'coordinator', lab: 'paca', admin: true },
	{ email: 'residente@labo-paca.example', name: 'Yanis Exemple', role: 'resident', lab: 'paca' },
	{ email: 'referente@labo-paca.example', name: 'Louise Exemple', role: 'referent', lab: 'paca' },
	{ email: 'dgs@labo-paca.example', name: 'Bernard Exemple', role: 'sponsor', lab: 'paca' },
	{ email: 'partenaire@unimes.example', name: 'Inès Exemple', role: 'partner', lab: 'paca' },
	{ email: 'coordination@labo-occitanie.example', name: 'Hugo Exemple', role: 'coordinator', lab: 'occitanie' }
];

const ORGANISATIONS: Record<string, string> = {
	'coordination@labo-paca.example': 'Région Provence-Alpes-Côte d’Azur — mission innovation',
	'residente@labo-paca.example': 'Région Provence-Alpes-Côte d’Azur — équipe du labo',
	'referente@labo-paca.example': 'Région Provence-Alpes-Côte d’Azur — Direction des Lycées',
	'dgs@labo-paca.example': 'Région Provence-Alpes-Côte d’Azur — direction générale des services',
	'partenaire@unimes.example': 'Université de Nîmes — école de design',
	'coordination@labo-occitanie.example': 'Labo Occitanie (fictif)'
};

const blank = { place: '', onlineUrl: '', description: '', agenda: '', minutes: '', participants: [], decisions: [] };
const DEMO_EVENTS: Record<string, EventInput> = {
	may: {
		...blank,
		kind: 'workshop',
		title: 'Atelier de mai 2013 : imaginer le labo',
		startsAt: '2013-05-14T07:30:00.000Z',
		endsAt: '2013-05-14T15:00:00.000Z',
		place: 'Marseille, hôtel de Région',
		description: 'Premier atelier ouvert aux agents pour dessiner ce que pourrait être un laboratoire d’innovation publique régional.',
		agenda: '1. Ce que vivent les agents et les usagers\n2. Travail en sous-groupes : principes, formes de fonctionnement, mobilisation\n3. Restitution',
		minutes:
			'Les sous-groupes ont formulé des principes (partir des usages, tester avant de généraliser), des formes de fonctionnement et des idées pour mobiliser les agents.',
		participants: [
			{ name: 'Yanis Exemple', organisation: 'Équipe du labo', role: 'facilitator' },
			{ name: 'Louise Exemple', organisation: 'Direction des Lycées', role: 'participant' },
			{ name: 'Paul Exemple', organisation: 'Direction de l’économie', role: 'participant' }
		],
		decisions: [{ text: 'Rédiger une synthèse des productions et la partager', owner: 'Yanis Exemple', dueOn: '2013-06-07' }]
	},
	july: {
		...blank,
		kind: 'workshop',
		title: 'Atelier de juillet 2013 : du principe à l’expérimentation',
		startsAt: '2013-07-02T07:30:00.000Z',
		endsAt: '2013-07-02T14:00:00.000Z',
		place: 'Marseille',
		description: 'Deuxième atelier : choisir où tester le scénario de labo en milieu réel.',
		minutes: 'Deux terrains sont retenus : un lycée avec la Direction des Lycées, et la suite du travail sur les emplois d’avenir avec l’Université de Nîmes.',
		participants: [
			{ name: 'Yanis Exemple', organisation: 'Équipe du labo', role: 'facilitator' },
			{ name: 'Louise Exemple', organisation: 'Direction des Lycées', role: 'participant' },
			{ name: 'Inès Exemple', organisation: 'Université de Nîmes', role: 'participant' }
		],
		decisions: [{ text: 'Préparer la commande au lycée Claret avec une AMO', owner: 'Camille Exemple', dueOn: '2013-09-30' }]
	},
	seminar: {
		...blank,
		kind: 'seminar',
		title: 'Séminaire des directeurs, janvier 2014',
		startsAt: '2014-01-23T08:00:00.000Z',
		endsAt: '2014-01-23T16:00:00.000Z',
		place: 'Marseille',
		description: 'Les directeurs travaillent en groupes de coproduction, animés par des agents familiers du labo.',
		participants: [
			{ name: 'Bernard Exemple', organisation: 'Direction générale des services', role: 'participant' },
			// One referent per group; the network was trained in December 2013.
			...SEMINAR_FACILITATORS.map((name) => ({ name, organisation: '', role: 'facilitator' as const })),
			{ name: 'Yanis Exemple', organisation: 'Équipe du labo', role: 'co_facilitator' }
		],
		decisions: [{ text: 'Constituer un réseau de référents animation/innovation', owner: 'Bernard Exemple', dueOn: '2014-03-31' }]
	},
	february: {
		...blank,
		kind: 'meeting',
		title: 'Réunion du 6 février 2014 : le cahier des charges du Grand Lyon',
		startsAt: '2014-02-06T13:00:00.000Z',
		endsAt: '2014-02-06T15:00:00.000Z',
		place: 'Marseille',
		description:
			'Étude du cahier des charges de la direction de la prospective du Grand Lyon, pris comme modèle pour commander un service de design des politiques publiques via une AMO.',
		minutes: 'Le document est jugé exemplaire par sa clarté sur les objectifs et la méthode attendue. Voir [[Binôme AMO et service de design]].',
		decisions: [
			{ text: 'Estimer la charge de la fonction de coordination', owner: 'Camille Exemple', dueOn: '2014-02-28' },
			{ text: 'Étudier un financement par le fonds d’expérimentation', owner: 'Camille Exemple', dueOn: '2014-03-15' }
		]
	}
};

const DEMO_KNOWLEDGE: (KnowledgeInput & { from?: string })[] = [
	{
		type: 'principle',
		title: 'Partir des usages des agents',
		body: "Avant de concevoir un dispositif, le labo observe comment les agents travaillent réellement et les associe dès le cadrage. Principe issu de l'atelier de mai 2013.",
		tags: ['usages', 'ateliers-2013'],
		visibility: 'public',
		from: 'may'
	},
	{
		type: 'operating_form',
		title: 'Binôme AMO et service de design',
		body: "Une assistance à maîtrise d'ouvrage accompagne la direction commanditaire pendant qu'un service de design des politiques publiques travaille avec les agents. Forme testée au lycée Claret, voir [[Partir des usages des agents]].",
		tags: ['commande', 'amo', 'ateliers-2013'],
		visibility: 'partners',
		from: 'july'
	},
	{
		type: 'mobilisation_idea',
		title: 'Un réseau de référents volontaires',
		body: 'Des agents familiers du labo animent des groupes de coproduction lors des séminaires, puis transmettent la méthode à leurs collègues.',
		tags: ['mobilisation', 'reseau'],
		visibility: 'lab',
		from: 'may'
	},
	{
		type: 'lesson',
		title: 'Il faut une fonction de coordination',
		body: "Les premières expérimentations montrent qu'un chef de projet référent doit garantir l'organisation, la communication, la capitalisation et la mobilisation. Sans lui, les productions des ateliers se perdent. Voir aussi [[Binôme AMO et service de design]].",
		tags: ['coordination', 'gouvernance'],
		visibility: 'lab'
	},
	{
		type: 'method',
		title: 'Capitaliser après chaque atelier',
		body: "À la fin d'un atelier, l'équipe transforme les productions en fiches typées (principes, méthodes, formes de fonctionnement, idées de mobilisation, leçons) et les relie entre elles.",
		tags: ['capitalisation', 'methode'],
		visibility: 'lab'
	}
];

export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
	const r = await db
		.selectFrom('lab')
		.select((eb) => eb.fn.countAll().as('n'))
		.executeTakeFirstOrThrow();
	return toCount(r.n) === 0;
}

/**
 * Loads the demo: Région PACA's lab (one account per role) and a second, small lab so that
 * the lab switcher and the separation between labs can be seen. Does nothing if "paca" exists.
 * The 2013–2014 story has fixed dates; the network's life and what is still to come (an
 * upcoming seminar, its open call, a scheduled post) are dated from `now` (tests fix it).
 */
export async function seedDemo(db: Kysely<Database>, opts: { now?: Date } = {}): Promise<{ created: boolean; accounts: DemoAccount[] }> {
	const now = (opts.now ?? new Date()).getTime();
	const exists = await db.selectFrom('lab').where('slug', '=', 'paca').select('id').executeTakeFirst();
	if (exists) return { created: false, accounts: DEMO_ACCOUNTS };
	const passwordHash = DEMO_PASSWORD_HASH;
	await inTransaction(db, async (trx) => {
		const paca = await createLab(trx, null, {
			slug: 'paca',
			name: 'Labo PACA',
			region: 'Provence-Alpes-Côte d’Azur',
			description:
				"Le laboratoire d'innovation publique de la Région : des ateliers aux expérimentations en milieu réel, avec un réseau d'agents référents en animation."
		});
		const occitanie = await createLab(trx, null, {
			slug: 'occitanie',
			name: 'Labo Occitanie',
			region: 'Occitanie',
			description: 'Un second labo de démonstration, pour voir comment plusieurs labos cohabitent sans rien partager.'
		});
		const labs: Record<string, string> = { paca: paca.id, occitanie: occitanie.id };
		const ids: Record<string, string> = {};
		for (const a of DEMO_ACCOUNTS) {
			const { accountId } = await insertAccount(trx, {
				name: a.name,
				email: a.email,
				passwordHash,
				organisation: ORGANISATIONS[a.email] ?? null,
				isAdmin: a.admin === true
			});
			ids[a.email] = accountId;
			await addMembership(trx, { labId: labs[a.lab]!, accountId, role: a.role, actorId: null });
		}
		// What the 2013 workshops produced and the experiments taught, written afresh for the demo.
		const resident = await labContext(trx, 'paca', null);
		const asResident = { ...resident, role: 'resident' as const, actor: null };
		// The referent network first, so that event participants are linked to its people.
		await seedNetworkPeople(trx, paca.id, now);
		const events: Record<string, string> = {};
		for (const [key, e] of Object.entries({ ...DEMO_EVENTS, ...networkEvents(now) })) events[key] = await createEvent(trx, asResident, e);
		await seedOpenCall(trx, paca.id, events.upcoming!, now);
		await seedSeminarSession(trx, asResident, events.seminar!);
		for (const { from, ...k } of DEMO_KNOWLEDGE)
			await createKnowledge(trx, asResident, { ...k, ...(from ? { sourceType: 'event', sourceId: events[from] } : {}) });
		const knowledgeId = async (title: string) =>
			(await trx.selectFrom('knowledge_item').where('lab_id', '=', resident.lab.id).where('title', '=', title).select('id').executeTakeFirstOrThrow()).id;
		const claret = await createExperiment(trx, asResident, {
			title: 'Lycée Claret : commander un service de design',
			scenario: 'AMO + service de design des politiques publiques',
			summary:
				"Avec les agents de la Direction des Lycées, une assistance à maîtrise d'ouvrage aide à commander un service de design des politiques publiques pour repenser l'accueil au lycée.",
			sponsor: 'Direction des Lycées',
			operator: 'Agence de design (fictive), avec une AMO',
			partners: 'Lycée Claret (Toulon)',
			lineage: `event:${events.july}`,
			conclusions:
				'Le binôme AMO et design fonctionne quand les agents sont associés dès le cadrage. Il manque une personne qui tienne la coordination : voir [[Il faut une fonction de coordination]].'
		});
		const numeric = await createExperiment(trx, asResident, {
			title: "Mon avenir Num'ERIC",
			scenario: 'Atelier de design avec une école, dans la suite du travail sur les emplois d’avenir',
			summary: 'Prolonger le travail sur les emplois d’avenir avec l’école de design de l’Université de Nîmes comme opérateur.',
			sponsor: 'Direction de l’emploi (fictive)',
			operator: 'Université de Nîmes — école de design',
			partners: 'Missions locales de la région',
			lineage: `event:${events.may}`,
			conclusions:
				'Les jeunes et les conseillers ont prototypé ensemble. La capitalisation a reposé sur une seule personne : une fonction de coordination est nécessaire.'
		});
		const walk = async (id: string, upTo: ExperimentStatus) => {
			let from: ExperimentStatus = 'idea';
			for (const s of EXPERIMENT_STATUSES.slice(1, EXPERIMENT_STATUSES.indexOf(upTo) + 1)) {
				await moveExperiment(trx, asResident, id, from, s);
				from = s;
			}
		};
		await walk(claret, 'evaluation');
		await walk(numeric, 'capitalised');
		await addMilestone(trx, asResident, claret, { title: 'Choix de l’AMO', dueOn: '2013-10-15' });
		await addMilestone(trx, asResident, claret, { title: 'Restitution aux agents du lycée', dueOn: '2014-01-30' });
		await addMilestone(trx, asResident, numeric, { title: 'Semaine de prototypage à Nîmes', dueOn: '2013-11-20' });
		for (const [id, rows] of [
			[
				claret,
				[
					['organisation', 'Camille Exemple', 10, 13],
					['communication', 'Yanis Exemple', 4, 2],
					['capitalisation', 'Yanis Exemple', 5, 3],
					['mobilisation', 'Louise Exemple', 3, 4],
					['amo', 'Cabinet AMO (fictif)', 15, 15]
				]
			],
			[
				numeric,
				[
					['organisation', 'Camille Exemple', 8, 9],
					['communication', '', 3, 1],
					['capitalisation', 'Yanis Exemple', 4, 1.5],
					['mobilisation', 'Inès Exemple', 5, 6],
					['amo', '', 0, 0]
				]
			]
		] as const)
			await setTeam(
				trx,
				asResident,
				id,
				rows.map(([responsibility, personName, estimatedDays, actualDays]) => ({ responsibility, personName, estimatedDays, actualDays }))
			);
		for (const [id, title, verdict, evidence] of [
			[claret, 'Partir des usages des agents', 'confirmed', 'Les agents du lycée ont redessiné l’accueil eux-mêmes.'],
			[claret, 'Binôme AMO et service de design', 'confirmed', 'La commande a abouti en trois mois.'],
			[numeric, 'Partir des usages des agents', 'confirmed', 'Les conseillers ont validé les prototypes.'],
			[numeric, 'Un réseau de référents volontaires', 'inconclusive', 'Trop peu d’agents mobilisés pour conclure.']
		] as const) {
			const kid = await knowledgeId(title);
			await addTest(trx, asResident, id, kid);
			const test = await trx
				.selectFrom('experiment_test')
				.where('experiment_id', '=', id)
				.where('knowledge_id', '=', kid)
				.select('id')
				.executeTakeFirstOrThrow();
			await setVerdict(trx, asResident, test.id, { verdict, evidence });
		}
		await addLesson(trx, asResident, numeric, {
			title: 'Prévoir la capitalisation dès le lancement',
			body: 'Sans temps réservé, la capitalisation se fait trop tard et par une seule personne.'
		});
		await addPartnerAccess(trx, { ...asResident, role: 'coordinator' }, numeric, ids['partenaire@unimes.example']!);
		// The DGS follows the Claret experiment, and so its funding requests.
		await addPartnerAccess(trx, { ...asResident, role: 'coordinator' }, claret, ids['dgs@labo-paca.example']!);
		// The fondex: a 2014 envelope, an approved request with its commitment and first payment,
		// and the request for the coordination function, waiting for a decision.
		const asCoordinator = { ...asResident, role: 'coordinator' as const };
		const fundId = await createFund(trx, asCoordinator, { name: 'Fondex — fonds d’expérimentation', deciders: 'coordinator' });
		const envelope = await addEnvelope(trx, asCoordinator, fundId, { year: 2014, amountCents: 150_000_00 });
		const numericRequest = await createRequest(trx, asResident, {
			envelopeId: envelope,
			experimentId: numeric,
			title: 'Semaine de prototypage avec l’école de design',
			justification: 'Encadrement des étudiants, déplacements et matériel de prototypage.',
			lines: [
				{ label: 'Encadrement par l’école de design', category: 'prestation', amountCents: 18_000_00 },
				{ label: 'Déplacements', category: 'frais', amountCents: 2_500_00 }
			]
		});
		await advanceRequest(trx, asResident, numericRequest, 'submitted');
		await decideRequest(trx, asCoordinator, numericRequest, { approve: true, amountCents: 19_000_00, reason: 'Déplacements ramenés à 1 000 €.' });
		const order = await recordEntry(trx, asCoordinator, {
			kind: 'commitment',
			envelopeId: envelope,
			experimentId: numeric,
			amountCents: 18_000_00,
			reference: 'Convention avec l’Université de Nîmes',
			category: 'prestation'
		});
		await recordEntry(trx, asCoordinator, {
			kind: 'payment',
			envelopeId: envelope,
			experimentId: numeric,
			amountCents: 9_000_00,
			commitmentId: order,
			reference: 'Premier acompte',
			category: 'prestation'
		});
		const coordination = await createRequest(trx, asResident, {
			envelopeId: envelope,
			experimentId: claret,
			title: 'Fonction de coordination technique du labo',
			justification:
				"Les premières expérimentations montrent qu'il faut un chef de projet référent, garant de l'organisation, de la communication, de la capitalisation et de la mobilisation. Charge estimée : 60 jours.",
			lines: [
				{ label: 'Chef de projet référent (60 jours)', category: 'personnel', amountCents: 30_000_00 },
				{ label: 'Animation des ateliers', category: 'prestation', amountCents: 6_000_00 }
			]
		});
		await advanceRequest(trx, asResident, coordination, 'submitted');
		await seedOpenData(trx, asResident, asCoordinator, { envelope, claret, numeric, numericRequest });
		// Commissioning: Grand Lyon's specification as an exemplary reference (our summary, not its
		// text), a template, and the Claret specification drafted from it.
		await createSpec(trx, asResident, 'reference', {
			title: 'Cahier des charges de la direction de la prospective du Grand Lyon',
			source: 'Grand Lyon, direction de la prospective — étudié le 6 février 2014',
			rating: 5,
			notes:
				"- des objectifs exprimés en changements attendus pour les usagers, pas en livrables\n- une méthode laissée ouverte mais des temps d'immersion imposés\n- des critères d'évaluation qui valorisent la co-conception avec les agents",
			sections: [
				{ key: 'context', title: 'Contexte', body: 'Une collectivité veut repenser un service avec ses usagers et ses agents.' },
				{ key: 'objectives', title: 'Objectifs', body: 'Décrire les changements attendus pour les usagers et pour les agents.' },
				{ key: 'method', title: 'Méthode', body: 'Immersion sur le terrain, ateliers de co-conception, prototypes testés en situation réelle.' },
				{ key: 'evaluation', title: "Critères d'évaluation", body: 'Compréhension du terrain, qualité de la co-conception, capacité à transmettre la méthode.' }
			]
		});
		const template = await createSpec(trx, asResident, 'template', {
			title: 'Modèle : AMO et service de design des politiques publiques',
			sections: [
				{
					key: 'context',
					title: 'Contexte',
					body: "Le laboratoire d'innovation publique conduit l'expérimentation « {{titre}} » ({{scénario}}), commanditée par {{commanditaire}}."
				},
				{ key: 'objectives', title: 'Objectifs', body: '- partir des usages des agents et des usagers\n- produire et tester des prototypes en milieu réel' },
				{
					key: 'deliverables',
					title: 'Livrables attendus',
					body: '- un diagnostic partagé\n- des prototypes testés\n- une synthèse capitalisée dans la base de connaissances du labo'
				},
				{ key: 'method', title: 'Méthode', body: "L'AMO accompagne le commanditaire ; le service de design travaille avec les agents." },
				{ key: 'schedule', title: 'Calendrier', body: 'Trois mois, avec une restitution aux agents à mi-parcours.' },
				{ key: 'budget', title: 'Budget', body: 'Montant maximal : {{budget}}.' },
				{ key: 'evaluation', title: "Critères d'évaluation", body: 'Méthode (40 %), compréhension du terrain (30 %), prix (30 %).' }
			]
		});
		await draftFromModel(trx, asResident, template, claret);
		await seedJournal(trx, asResident);
		await seedUpcoming(trx, asResident, now);
		// The February minutes cite an item written after the event: link them now.
		await rebuildLinks(trx, resident.lab.id, { type: 'event', id: events.february! }, DEMO_EVENTS.february!.minutes);
		// The PACA coordinator also helps the other lab, to show one person in two labs.
		await addMembership(trx, {
			labId: occitanie.id,
			accountId: ids['coordination@labo-paca.example']!,
			role: 'resident',
			actorId: null
		});
	});
	return { created: true, accounts: DEMO_ACCOUNTS };
}
