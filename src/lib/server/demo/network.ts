import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { newId } from '../db/util';
import { hashToken, newToken } from '../auth/tokens';
import type { EventInput } from '../events/events.service';
import { CONSENT_VERSION, type Territory } from '$lib/shared/network';

// The demo lab's referent network: about forty invented agents ("Exemple" marks them) across
// the six départements and several directorates, a training, the directors' seminar's
// facilitators, recent facilitations and an open call. Dates of the network's life are
// relative to the day the demo is loaded, so its dashboard shows the last months.

export const DEMO_SKILLS = [
	'World café',
	'Design sprint',
	'Théâtre-forum',
	'Forum ouvert',
	'Photolangage',
	'Facilitation graphique',
	'Carte mentale',
	'Jeu de rôle'
];

const DIRECTORATES = [
	'Direction des Lycées',
	'Direction des Transports',
	'Direction de l’Économie',
	'Direction de la Culture',
	'Direction des Finances',
	'Direction des Ressources humaines',
	'Direction de l’Aménagement du territoire',
	'Direction générale des services'
];
const TERRITORY_CYCLE: Territory[] = ['13', '83', '06', '84', '04', '05', '13', 'region', '06', '83'];

const FIRST_NAMES = [
	'Agathe',
	'Baptiste',
	'Céline',
	'Damien',
	'Élodie',
	'Fabien',
	'Gaëlle',
	'Hervé',
	'Isabelle',
	'Julien',
	'Karima',
	'Laurent',
	'Manon',
	'Nicolas',
	'Océane',
	'Pascal',
	'Quentin',
	'Rachida',
	'Sébastien',
	'Thérèse',
	'Ulysse',
	'Valérie',
	'William',
	'Xavier',
	'Yasmine',
	'Zoé',
	'Adrien',
	'Brigitte',
	'Cyril',
	'Delphine',
	'Étienne',
	'Florence',
	'Gilles',
	'Hélène',
	'Ibrahim',
	'Joëlle',
	'Kevin',
	'Lucie'
];

export interface DemoReferent {
	name: string;
	email: string;
	directorate: string;
	territory: Territory;
	skills: string[];
	/** Account holders of the demo who are also referents (their person already exists). */
	accountEmail?: string;
}

export const DEMO_REFERENTS: DemoReferent[] = [
	{
		name: 'Louise Exemple',
		email: 'referente@labo-paca.example',
		accountEmail: 'referente@labo-paca.example',
		directorate: 'Direction des Lycées',
		territory: '13',
		skills: ['World café', 'Facilitation graphique', 'Forum ouvert']
	},
	{
		name: 'Yanis Exemple',
		email: 'residente@labo-paca.example',
		accountEmail: 'residente@labo-paca.example',
		directorate: 'Équipe du labo',
		territory: 'region',
		skills: ['World café', 'Design sprint', 'Théâtre-forum', 'Forum ouvert']
	},
	...FIRST_NAMES.map((first, i) => ({
		name: `${first} Exemple`,
		email: `${first
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()}.exemple@agents-paca.example`,
		directorate: DIRECTORATES[i % DIRECTORATES.length]!,
		territory: TERRITORY_CYCLE[i % TERRITORY_CYCLE.length]!,
		skills: [DEMO_SKILLS[i % DEMO_SKILLS.length]!, DEMO_SKILLS[(i * 3 + 1) % DEMO_SKILLS.length]!, ...(i % 4 === 0 ? ['World café'] : [])]
	}))
];

/** Those who facilitated a group at the January 2014 directors' seminar (eight groups). */
export const SEMINAR_FACILITATORS = [
	'Louise Exemple',
	'Agathe Exemple',
	'Baptiste Exemple',
	'Céline Exemple',
	'Damien Exemple',
	'Élodie Exemple',
	'Fabien Exemple',
	'Gaëlle Exemple'
];

const DAY = 24 * 60 * 60 * 1000;

/** Skills and referent profiles; called before the events so participants link to them. */
export async function seedNetworkPeople(trx: Kysely<Database>, labId: string, now = Date.now()): Promise<void> {
	const skillId = new Map<string, string>();
	for (const [i, label] of DEMO_SKILLS.entries()) {
		const id = newId();
		skillId.set(label, id);
		await trx.insertInto('network_skill').values({ id, lab_id: labId, label, position: i }).execute();
	}
	for (const [i, r] of DEMO_REFERENTS.entries()) {
		let personId: string;
		if (r.accountEmail) {
			personId = (await trx.selectFrom('account').where('email', '=', r.accountEmail).select('person_id').executeTakeFirstOrThrow()).person_id;
		} else {
			personId = newId();
			const created = new Date(now - (600 - i * 12) * DAY).toISOString();
			await trx
				.insertInto('person')
				.values({ id: personId, name: r.name, email: r.email, organisation: r.directorate, created_at: created, updated_at: created })
				.execute();
		}
		// Joined over the last twenty months; two have since withdrawn.
		const consentAt = new Date(now - (600 - i * 14) * DAY).toISOString();
		const withdrawnAt = i === 12 || i === 27 ? new Date(now - (90 - i) * DAY).toISOString() : null;
		const id = newId();
		await trx
			.insertInto('referent')
			.values({
				id,
				lab_id: labId,
				person_id: personId,
				directorate: r.directorate,
				service: '',
				territory: r.territory,
				languages: i % 5 === 0 ? 'français, anglais' : i % 7 === 0 ? 'français, italien' : 'français',
				days_per_month: 1 + (i % 3),
				bio: '',
				consent_version: CONSENT_VERSION,
				consent_at: consentAt,
				withdrawn_at: withdrawnAt,
				erasure_requested_at: null,
				created_at: consentAt,
				updated_at: withdrawnAt ?? consentAt
			})
			.execute();
		await trx
			.insertInto('referent_skill')
			.values([...new Set(r.skills)].map((s) => ({ referent_id: id, skill_id: skillId.get(s)! })))
			.execute();
		if (i % 9 === 3) {
			const from = new Date(now + 20 * DAY).toISOString().slice(0, 10);
			const to = new Date(now + 40 * DAY).toISOString().slice(0, 10);
			await trx.insertInto('referent_unavailable').values({ id: newId(), referent_id: id, from_day: from, to_day: to }).execute();
		}
	}
}

const p = (name: string, role: EventInput['participants'][number]['role'], attended: boolean | null = null) => ({
	name,
	organisation: DEMO_REFERENTS.find((r) => r.name === name)?.directorate ?? '',
	role,
	attended
});

/** The network's events: a training, recent co-production workshops, an upcoming one. */
export function networkEvents(now = Date.now()): Record<string, EventInput> {
	const at = (days: number, hour = 8) => {
		const d = new Date(now + days * DAY);
		d.setUTCHours(hour, 0, 0, 0);
		return d.toISOString();
	};
	const blank = { onlineUrl: '', agenda: '', minutes: '', decisions: [] };
	return {
		training: {
			...blank,
			kind: 'training',
			title: 'Formation : animer un groupe de coproduction',
			startsAt: '2013-12-10T08:00:00.000Z',
			endsAt: '2013-12-10T16:00:00.000Z',
			place: 'Marseille, hôtel de Région',
			description: 'Une journée pour s’exercer aux méthodes d’animation (world café, forum ouvert) avant le séminaire des directeurs.',
			participants: [
				p('Yanis Exemple', 'trainer'),
				...SEMINAR_FACILITATORS.map((n) => p(n, 'trainee', true)),
				p('Hervé Exemple', 'trainee', false),
				p('Isabelle Exemple', 'trainee', true)
			]
		},
		recentA: {
			...blank,
			kind: 'workshop',
			title: 'Atelier de coproduction : la mobilité des lycéens',
			startsAt: at(-75),
			endsAt: at(-75, 15),
			place: 'Toulon',
			description: 'Usagers, agents des transports et des lycées imaginent ensemble les trajets de demain.',
			participants: [
				p('Louise Exemple', 'facilitator'),
				p('Agathe Exemple', 'facilitator'),
				p('Julien Exemple', 'co_facilitator'),
				p('Karima Exemple', 'observer')
			]
		},
		recentB: {
			...blank,
			kind: 'workshop',
			title: 'Atelier de coproduction : simplifier les aides aux entreprises',
			startsAt: at(-30),
			endsAt: at(-30, 15),
			place: 'Nice',
			description: 'Chefs d’entreprise et agents de la direction de l’économie revoient le parcours de demande d’aide.',
			participants: [p('Louise Exemple', 'facilitator'), p('Baptiste Exemple', 'facilitator'), p('Isabelle Exemple', 'co_facilitator')]
		},
		upcoming: {
			...blank,
			kind: 'workshop',
			title: 'Atelier de coproduction : l’accueil dans les antennes régionales',
			startsAt: at(30),
			endsAt: at(30, 15),
			place: 'Avignon',
			description: 'Trois groupes mêlant usagers, agents d’accueil et partenaires revisitent l’accueil du public.',
			participants: []
		}
	};
}

/** An open call for the upcoming workshop, with some answers already in. */
export async function seedOpenCall(trx: Kysely<Database>, labId: string, eventId: string, now = Date.now()): Promise<void> {
	const skill = await trx.selectFrom('network_skill').where('lab_id', '=', labId).where('label', '=', 'World café').select('id').executeTakeFirstOrThrow();
	const callId = newId();
	const sentAt = new Date(now - 3 * DAY).toISOString();
	await trx
		.insertInto('network_call')
		.values({
			id: callId,
			lab_id: labId,
			event_id: eventId,
			needed: 3,
			min_level: 'facilitator',
			pair_novices: 1,
			skills: JSON.stringify([skill.id]),
			deadline: new Date(now + 14 * DAY).toISOString(),
			message: 'Trois groupes, un world café par groupe : merci de répondre avant la date limite.',
			state: 'open',
			sent_at: sentAt,
			created_by: null,
			created_at: sentAt
		})
		.execute();
	const asked = await trx
		.selectFrom('referent as r')
		.innerJoin('referent_skill as rs', 'rs.referent_id', 'r.id')
		.innerJoin('person as pe', 'pe.id', 'r.person_id')
		.leftJoin('account as ac', 'ac.person_id', 'r.person_id')
		.where('r.lab_id', '=', labId)
		.where('r.withdrawn_at', 'is', null)
		.where('rs.skill_id', '=', skill.id)
		.select(['r.id', 'pe.name', 'ac.id as accountId'])
		.orderBy('pe.name')
		.execute();
	const answers = ['yes', 'maybe', 'no', null, 'yes', null] as const;
	for (const [i, r] of asked.entries()) {
		// The demo's own accounts have not answered yet: the call waits in their "À traiter".
		const answer = r.accountId ? null : (answers[i % answers.length] ?? null);
		await trx
			.insertInto('call_answer')
			.values({
				id: newId(),
				call_id: callId,
				referent_id: r.id,
				// Demo links are not mailed: their secret is thrown away.
				token_hash: hashToken(newToken()),
				answer,
				answered_at: answer ? new Date(now - (2 - (i % 2)) * DAY).toISOString() : null,
				sent_at: sentAt
			})
			.execute();
	}
}
