import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { newId } from '../db/util';
import { hashToken, newToken } from '../auth/tokens';
import type { LabContext } from '../labs/labs.service';
import { createEvent } from '../events/events.service';
import { addParticipants, saveSettings } from '../sessions/sessions.service';
import { changeState, createPost, reindexPost } from '../journal/posts.service';
import { DEFAULT_SETTINGS } from '$lib/shared/sessions';
import { seminarParticipants } from './sessions';

// What is still to come when the demo is loaded, so that a new coordinator can try the
// network and the sessions on a real upcoming event: a co-production seminar five weeks
// ahead with its participants, an open call for referents still short of facilitators, and
// a journal post scheduled a few days ahead. Every date is relative to the seed's "now".

const DAY = 24 * 60 * 60 * 1000;

export const UPCOMING_SEMINAR_TITLE = 'Séminaire de coproduction : simplifier les démarches des usagers';
export const UPCOMING_POST_TITLE = 'Un nouveau séminaire de coproduction se prépare';
/** Days from "now": the seminar, the call's deadline, the post's publication. */
export const UPCOMING_DAYS = { seminar: 35, deadline: 21, post: 4 } as const;
/** Groups at the seminar, and so facilitators asked for. */
export const UPCOMING_GROUPS = 5;

/**
 * Who has been asked so far and what they answered (null: no answer yet). Louise and Agathe,
 * who facilitated in January 2014, are in again; Baptiste is away that week and was not asked.
 */
const ASKED: [name: string, answer: 'yes' | 'no' | null][] = [
	['Louise Exemple', 'yes'],
	['Agathe Exemple', 'yes'],
	['Céline Exemple', 'no'],
	['Damien Exemple', null],
	['Élodie Exemple', null],
	['Isabelle Exemple', 'no'],
	['Hervé Exemple', null]
];

const POST_BODY = `Dans quelques semaines, le labo réunit de nouveau les directions de la Région et leurs partenaires pour une journée de coproduction, dans l'esprit du séminaire des directeurs de janvier 2014 (voir [[Semaine 9.2]]).

## Partir d'une démarche réelle

Cette fois, chaque groupe part d'une démarche que vivent les usagers : demander une bourse, déposer un dossier d'aide, inscrire un enfant au transport scolaire. Avec les agents qui accompagnent ces démarches au quotidien, les groupes chercheront ce qui peut être simplifié tout de suite et ce qui mérite une expérimentation.

Une quarantaine de participants sont inscrits : directeurs et adjoints, services de l'État, départements, communes, associations et entreprises. Ils seront répartis en cinq groupes qui mêlent les organisations et les échelles de territoire.

## Le réseau de référents à l'animation

Chaque groupe sera animé par un·e référent·e du réseau. L'appel est lancé et il reste des places : si vous n'avez jamais animé, vous pouvez venir en binôme avec une personne expérimentée. C'est ainsi que la méthode se transmet d'un séminaire à l'autre.

Nous raconterons ici ce que les groupes auront produit.`;

const at = (now: number, days: number, hour: number, minute = 0) => {
	const d = new Date(now + days * DAY);
	d.setUTCHours(hour, minute, 0, 0);
	return d.toISOString();
};

/** The upcoming seminar, its session, its open call and the scheduled post. Returns the seminar's id. */
export async function seedUpcoming(trx: Kysely<Database>, ctx: LabContext, now: number): Promise<string> {
	const labId = ctx.lab.id;
	const eventId = await createEvent(trx, ctx, {
		kind: 'seminar',
		title: UPCOMING_SEMINAR_TITLE,
		startsAt: at(now, UPCOMING_DAYS.seminar, 8),
		endsAt: at(now, UPCOMING_DAYS.seminar, 16),
		place: 'Marseille, hôtel de Région',
		onlineUrl: '',
		description:
			'Comme en janvier 2014, directeurs de la Région et partenaires travaillent en groupes de coproduction animés par des référents du réseau. Chaque groupe part d’une démarche réelle des usagers pour la simplifier avec les agents qui l’accompagnent.',
		agenda:
			'1. Accueil et règles du jeu\n2. Groupes de coproduction : une démarche par groupe, vécue puis redessinée\n3. Restitution croisée\n4. Ce que chaque direction s’engage à tester',
		minutes: '',
		participants: [
			{ name: 'Bernard Exemple', organisation: 'Direction générale des services', role: 'participant' },
			{ name: 'Yanis Exemple', organisation: 'Équipe du labo', role: 'co_facilitator' }
		],
		decisions: []
	});

	// The session is ready for its groups: participants in, five groups asked for, the
	// facilitators to come from the call once it is assigned.
	await addParticipants(
		trx,
		ctx,
		eventId,
		seminarParticipants().filter((_, i) => i % 3 !== 2),
		'import'
	);
	await saveSettings(trx, ctx, eventId, { ...DEFAULT_SETTINGS, sizing: { mode: 'groups', groups: UPCOMING_GROUPS } });

	const callId = newId();
	const sentAt = at(now, -2, 9);
	await trx
		.insertInto('network_call')
		.values({
			id: callId,
			lab_id: labId,
			event_id: eventId,
			needed: UPCOMING_GROUPS,
			min_level: 'facilitator',
			pair_novices: 1,
			skills: JSON.stringify([]),
			deadline: at(now, UPCOMING_DAYS.deadline, 21, 59),
			message: 'Cinq groupes, une démarche d’usager par groupe : nous cherchons cinq animateurs, débutants bienvenus en binôme.',
			state: 'open',
			sent_at: sentAt,
			created_by: null,
			created_at: sentAt
		})
		.execute();
	const referents = await trx
		.selectFrom('referent as r')
		.innerJoin('person as pe', 'pe.id', 'r.person_id')
		.where('r.lab_id', '=', labId)
		.where(
			'pe.name',
			'in',
			ASKED.map(([name]) => name)
		)
		.select(['r.id', 'pe.name'])
		.execute();
	for (const [i, [name, answer]] of ASKED.entries()) {
		const referent = referents.find((r) => r.name === name);
		if (!referent) throw new Error(`demo referent missing: ${name}`);
		await trx
			.insertInto('call_answer')
			.values({
				id: newId(),
				call_id: callId,
				referent_id: referent.id,
				// Demo links are not mailed: their secret is thrown away.
				token_hash: hashToken(newToken()),
				answer,
				answered_at: answer ? at(now, -1, 8 + i) : null,
				sent_at: sentAt
			})
			.execute();
	}

	const yanis = (await trx.selectFrom('account').where('email', '=', 'residente@labo-paca.example').select('person_id').executeTakeFirstOrThrow()).person_id;
	const postId = await createPost(trx, ctx, {
		kind: 'post',
		title: UPCOMING_POST_TITLE,
		slug: '',
		series: '',
		episode: '',
		excerpt: 'Directeurs, partenaires et agents se retrouvent bientôt en groupes de coproduction ; le réseau de référents cherche encore des animateurs.',
		body: POST_BODY,
		tags: ['réseau', 'séminaire', 'coproduction'],
		authorPersonIds: [yanis],
		byLab: false,
		coverFileId: null,
		commentsOpen: true
	});
	// Scheduling refuses a date already past on the machine's clock; the seed's "now" may be
	// fixed in the past (tests), so the date is set afterwards, as for the published posts.
	const publishAt = at(now, UPCOMING_DAYS.post, 7);
	await changeState(trx, ctx, postId, { to: 'scheduled', at: new Date(Math.max(Date.parse(publishAt), Date.now() + 60_000)).toISOString() });
	await trx.updateTable('post').set({ publish_at: publishAt }).where('id', '=', postId).execute();
	await reindexPost(trx, postId);
	return eventId;
}
