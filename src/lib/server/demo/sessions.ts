import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { LabContext } from '../labs/labs.service';
import { addParticipants, formGroups, saveSettings, type ParticipantInput } from '../sessions/sessions.service';
import { DEFAULT_SETTINGS } from '$lib/shared/sessions';
import { SEMINAR_FACILITATORS } from './network';

// The January 2014 directors' seminar as a co-production session: about sixty invented
// participants from the Region's directorates and from partners at every territorial scale,
// eight groups, the eight referents trained in December as facilitators.

const REGION_DIRECTORATES = [
	'Direction des Lycées',
	'Direction des Transports',
	'Direction de l’Économie',
	'Direction de la Culture',
	'Direction des Finances',
	'Direction des Ressources humaines',
	'Direction de l’Aménagement du territoire',
	'Direction de l’Environnement',
	'Direction de la Santé',
	'Direction du Numérique'
];

const PARTNERS: { organisation: string; actorType: ParticipantInput['actorType']; scale: ParticipantInput['scale'] }[] = [
	{ organisation: 'Préfecture de région', actorType: 'institutional', scale: 'state' },
	{ organisation: 'Rectorat', actorType: 'institutional', scale: 'state' },
	{ organisation: 'Conseil départemental du Var', actorType: 'public', scale: 'departement' },
	{ organisation: 'Conseil départemental de Vaucluse', actorType: 'public', scale: 'departement' },
	{ organisation: 'Métropole Aix-Marseille', actorType: 'public', scale: 'intercommunality' },
	{ organisation: 'Communauté d’agglomération du Pays de Grasse', actorType: 'public', scale: 'intercommunality' },
	{ organisation: 'Ville de Digne-les-Bains', actorType: 'public', scale: 'commune' },
	{ organisation: 'Ville de Gap', actorType: 'public', scale: 'commune' },
	{ organisation: 'Chambre régionale de commerce', actorType: 'institutional', scale: 'region' },
	{ organisation: 'Union régionale des associations', actorType: 'associative', scale: 'region' },
	{ organisation: 'Association d’usagers des transports', actorType: 'associative', scale: 'departement' },
	{ organisation: 'Entreprise de transport (fictive)', actorType: 'private', scale: 'region' },
	{ organisation: 'Agence de design (fictive)', actorType: 'private', scale: 'commune' },
	{ organisation: 'Conseil de développement', actorType: 'citizen', scale: 'intercommunality' }
];

const FIRST = [
	'Aline',
	'Bruno',
	'Carole',
	'Denis',
	'Emma',
	'Franck',
	'Ginette',
	'Henri',
	'Inès',
	'Jacques',
	'Katia',
	'Louis',
	'Maud',
	'Noël',
	'Odile',
	'Pierre',
	'Rose',
	'Simon',
	'Tania',
	'Victor'
];
const LAST = ['Exemple', 'Essai', 'Modèle'];

export function seminarParticipants(): ParticipantInput[] {
	const out: ParticipantInput[] = [];
	for (let i = 0; i < 60; i++) {
		const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length)]}`;
		const email = `${name
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/\s+/g, '.')}@seminaire.example`;
		if (i < 36) {
			// The Region's directors and their deputies.
			out.push({
				name,
				email,
				organisation: 'Région Provence-Alpes-Côte d’Azur',
				actorType: 'public',
				scale: 'region',
				directorate: REGION_DIRECTORATES[i % REGION_DIRECTORATES.length]!,
				extra: {}
			});
		} else {
			const p = PARTNERS[(i - 36) % PARTNERS.length]!;
			out.push({ name, email, organisation: p.organisation, actorType: p.actorType, scale: p.scale, directorate: '', extra: {} });
		}
	}
	return out;
}

/** Participants, settings and a first version of the groups for the seminar. */
export async function seedSeminarSession(trx: Kysely<Database>, ctx: LabContext, eventId: string): Promise<void> {
	await addParticipants(trx, ctx, eventId, seminarParticipants(), 'import');
	const referents = await trx
		.selectFrom('referent as r')
		.innerJoin('person as p', 'p.id', 'r.person_id')
		.where('r.lab_id', '=', ctx.lab.id)
		.where('p.name', 'in', SEMINAR_FACILITATORS)
		.select('r.id')
		.execute();
	const settings = { ...DEFAULT_SETTINGS, sizing: { mode: 'groups' as const, groups: 8 }, facilitators: referents.map((r) => r.id), seconds: 2 };
	await saveSettings(trx, ctx, eventId, settings);
	// A fixed iteration budget: the demo's groups are the same on every machine.
	await formGroups(trx, ctx, eventId, { seed: 2014, maxIterations: 4000, seconds: 30 });
}
