import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { newId } from '../db/util';
import type { LabContext } from '../labs/labs.service';
import { changeState, createPost, reindexPost } from '../journal/posts.service';

// The demo lab's journal: the "Semaine" series as the lab kept it in 2013–2014, rewritten for
// the demo from the facts of its posts (no sentence copied), with a few invented comments.

const SEMAINE_7_2 = `Après l'été, l'équipe résidente et ses complices se donnent un cap : passer des idées des ateliers de mai et juillet à des **expérimentations en milieu réel**.

Deux terrains sont retenus :

- un lycée, avec la Direction des Lycées, pour tester une commande de design des politiques publiques accompagnée par une assistance à maîtrise d'ouvrage ;
- la suite du travail sur les emplois d'avenir, avec l'école de design de l'Université de Nîmes comme opérateur.

Nous raconterons ici ce que ces deux essais nous apprennent.`;

const SEMAINE_9_2 = `Bâtir le labo reste la priorité de l'équipe. En PACA, tout a commencé en mai 2013 avec une série d'ateliers : ils ont fait émerger des manières de fonctionner, des principes de méthode et d'action, et des pistes pour mobiliser les agents. À la rentrée, nous avons choisi de mettre ces productions à l'épreuve du terrain (voir [[Semaine 7.2]]).

## Deux projets pour éprouver le scénario

Au lycée Claret, la Direction des Lycées s'appuie d'abord sur une AMO pour commander une prestation de design des politiques publiques menée avec ses agents (voir [[Lycée Claret : commander un service de design]]). Le second projet, « Mon avenir Num'ERIC », prolonge le travail engagé sur les emplois d'avenir, avec l'école de design de l'Université de Nîmes comme opérateur.

## La coordination, une mission à part entière

Dans les deux cas, l'équipe résidente a elle-même tenu le rôle d'AMO, ce qui a permis de mesurer la charge réelle de cette mission. Premier enseignement : le labo a besoin d'une coordination technique, portée par un chef de projet référent qui garantisse l'organisation, la communication, la capitalisation et la mobilisation.

Le 6 février après-midi, nous avons examiné ensemble le cahier des charges de la Direction de la Prospective du Grand Lyon, un modèle pour commander ce type de prestation. Le renfort de la coordination est en préparation ; une partie du budget pourrait venir du fondex, le fonds d'expérimentation dont dispose la Région.

## Vers un réseau de référents animation et innovation

Au séminaire des directeurs de janvier 2014, quelques agents habitués du labo ont animé les groupes de coproduction. À la suite, le Directeur général des services a souhaité mobiliser plus largement les agents régionaux sur l'animation : beaucoup coordonnent déjà des acteurs institutionnels, privés et publics, à plusieurs échelles de territoire, et la coproduction est une compétence qu'il veut voir grandir.

Ce réseau ressemble beaucoup à celui que les ateliers de 2013 avaient imaginé. Rien n'est encore décidé, mais l'occasion se présente de construire une fonction innovation portée par un réseau libre de volontaires. À suivre !`;

export async function seedJournal(trx: Kysely<Database>, ctx: LabContext): Promise<void> {
	const person = async (email: string) => (await trx.selectFrom('account').where('email', '=', email).select('person_id').executeTakeFirstOrThrow()).person_id;
	const yanis = await person('residente@labo-paca.example');
	const camille = await person('coordination@labo-paca.example');
	const base = { kind: 'post' as const, slug: '', series: 'Semaine', coverFileId: null, commentsOpen: true };

	// The Claret experiment is on the public site, so the post's link to it is live.
	await trx
		.updateTable('experiment')
		.set({ published: 1 })
		.where('lab_id', '=', ctx.lab.id)
		.where('title', '=', 'Lycée Claret : commander un service de design')
		.execute();

	const p72 = await createPost(trx, ctx, {
		...base,
		title: 'des ateliers aux premiers terrains',
		episode: '7.2',
		excerpt: 'À la rentrée 2013, le labo choisit deux terrains pour tester les idées de ses ateliers.',
		body: SEMAINE_7_2,
		tags: ['expérimentation', 'ateliers-2013'],
		authorPersonIds: [],
		byLab: true
	});
	const p92 = await createPost(trx, ctx, {
		...base,
		title: 'préparer la construction du labo',
		episode: '9.2',
		excerpt: 'Deux expérimentations en cours, une coordination à renforcer et un réseau de référents en vue.',
		body: SEMAINE_9_2,
		tags: ['coordination', 'réseau', 'expérimentation'],
		authorPersonIds: [yanis, camille],
		byLab: false
	});
	for (const [id, at] of [
		[p72, '2013-09-20T08:00:00.000Z'],
		[p92, '2014-02-14T08:00:00.000Z']
	] as const) {
		await changeState(trx, ctx, id, { to: 'published' });
		await trx.updateTable('post').set({ published_at: at, publish_at: at }).where('id', '=', id).execute();
		await reindexPost(trx, id);
	}

	const comment = async (name: string, body: string, at: string, state: string, parentId: string | null = null) => {
		const id = newId();
		await trx
			.insertInto('comment')
			.values({
				id,
				lab_id: ctx.lab.id,
				post_id: p92,
				parent_id: parentId,
				person_id: null,
				name,
				email_hash: '',
				body,
				state,
				source_ref: null,
				created_at: at,
				moderated_at: state === 'pending' ? null : at,
				moderated_by: null
			})
			.execute();
		return id;
	};
	const first = await comment(
		'Martine (Direction de la culture)',
		'Très intéressant ! Le réseau de référents serait-il ouvert aux agents des lycées ? Plusieurs collègues animent déjà des conseils de vie lycéenne.',
		'2014-02-15T09:12:00.000Z',
		'approved'
	);
	await comment(
		'Yanis Exemple',
		'Oui, le réseau sera ouvert à tous les agents volontaires, quelle que soit leur direction. Nous en reparlerons dans un prochain billet.',
		'2014-02-15T14:40:00.000Z',
		'approved',
		first
	);
	await comment('Hervé D.', 'Le cahier des charges du Grand Lyon est-il consultable quelque part ?', '2014-02-17T08:05:00.000Z', 'pending');
}
