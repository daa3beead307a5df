import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { toCount, inTransaction } from '../db/util';
import { hashPassword } from '../auth/password';
import { insertAccount } from '../auth/auth.service';
import { addMembership, createLab, labContext } from '../labs/labs.service';
import { createKnowledge, type KnowledgeInput } from '../knowledge/knowledge.service';
import type { Role } from '$lib/shared/roles';

/** Shared by every demo account; printed at start. Demo data only: never use it for real data. */
export const DEMO_PASSWORD = 'demo-labo-paca';

export interface DemoAccount {
	email: string;
	name: string;
	role: Role;
	lab: string;
}

// People are invented (the surname "Exemple" marks them); institutions come from the seed.
export const DEMO_ACCOUNTS: DemoAccount[] = [
	{ email: 'coordination@labo-paca.example', name: 'Camille Exemple', role: 'coordinator', lab: 'paca' },
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

const DEMO_KNOWLEDGE: KnowledgeInput[] = [
	{
		type: 'principle',
		title: 'Partir des usages des agents',
		body: "Avant de concevoir un dispositif, le labo observe comment les agents travaillent réellement et les associe dès le cadrage. Principe issu de l'atelier de mai 2013.",
		tags: ['usages', 'ateliers-2013'],
		visibility: 'public'
	},
	{
		type: 'operating_form',
		title: 'Binôme AMO et service de design',
		body: "Une assistance à maîtrise d'ouvrage accompagne la direction commanditaire pendant qu'un service de design des politiques publiques travaille avec les agents. Forme testée au lycée Claret, voir [[Partir des usages des agents]].",
		tags: ['commande', 'amo', 'ateliers-2013'],
		visibility: 'partners'
	},
	{
		type: 'mobilisation_idea',
		title: 'Un réseau de référents volontaires',
		body: 'Des agents familiers du labo animent des groupes de coproduction lors des séminaires, puis transmettent la méthode à leurs collègues.',
		tags: ['mobilisation', 'reseau'],
		visibility: 'lab'
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
	const r = await db.selectFrom('lab').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
	return toCount(r.n) === 0;
}

/**
 * Loads the demo: Région PACA's lab (one account per role) and a second, small lab so that
 * the lab switcher and the separation between labs can be seen. Does nothing if "paca" exists.
 */
export async function seedDemo(db: Kysely<Database>): Promise<{ created: boolean; accounts: DemoAccount[] }> {
	const exists = await db.selectFrom('lab').where('slug', '=', 'paca').select('id').executeTakeFirst();
	if (exists) return { created: false, accounts: DEMO_ACCOUNTS };
	const passwordHash = await hashPassword(DEMO_PASSWORD);
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
				organisation: ORGANISATIONS[a.email] ?? null
			});
			ids[a.email] = accountId;
			await addMembership(trx, { labId: labs[a.lab]!, accountId, role: a.role, actorId: null });
		}
		// What the 2013 workshops produced and the experiments taught, written afresh for the demo.
		const resident = await labContext(trx, 'paca', null);
		const asResident = { ...resident, role: 'resident' as const, actor: null };
		for (const k of DEMO_KNOWLEDGE) await createKnowledge(trx, asResident, k);
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
