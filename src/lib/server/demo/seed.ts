import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { toCount, inTransaction } from '../db/util';
import { hashPassword } from '../auth/password';
import { insertAccount } from '../auth/auth.service';
import { addMembership, createLab } from '../labs/labs.service';
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
