import { formatDate, formatDateTime, roleLabel } from '../i18n';
import type { Role } from '$lib/shared/roles';

// Mails go to people whose language we may not know yet: French first, then English.

export const mailTexts = {
	invitation(p: { name: string; labName: string; role: Role; inviter: string; url: string; expires: string }) {
		return {
			subject: `Invitation à rejoindre ${p.labName} sur Labo / Invitation to join ${p.labName}`,
			text: [
				`Bonjour ${p.name},`,
				'',
				`${p.inviter} vous invite à rejoindre ${p.labName} sur Labo, en tant que ${roleLabel('fr', p.role)}.`,
				`Pour accepter et choisir votre mot de passe, ouvrez ce lien (valable jusqu'au ${p.expires}) :`,
				p.url,
				'',
				"Si vous n'attendiez pas cette invitation, ignorez ce message.",
				'',
				'—',
				'',
				`Hello ${p.name},`,
				'',
				`${p.inviter} invites you to join ${p.labName} on Labo as ${roleLabel('en', p.role)}.`,
				'To accept and choose your password, open the link above.',
				'If you were not expecting this invitation, ignore this message.'
			].join('\n')
		};
	},
	passwordReset(p: { name: string; url: string }) {
		return {
			subject: 'Réinitialiser votre mot de passe Labo / Reset your Labo password',
			text: [
				`Bonjour ${p.name},`,
				'',
				'Vous avez demandé à changer votre mot de passe. Ce lien est valable une heure et une seule fois :',
				p.url,
				'',
				"Si vous n'avez rien demandé, ignorez ce message : votre mot de passe reste le même.",
				'',
				'—',
				'',
				`Hello ${p.name},`,
				'',
				'You asked to change your password. The link above works once, for one hour.',
				'If you did not ask, ignore this message: your password stays the same.'
			].join('\n')
		};
	}
};

const SEP = ['', '—', ''];

/**
 * Mails of the referent network. Every one carries the person's own link to withdraw.
 * Dates come as ISO strings: each half of a mail writes them in its own language, and the
 * subject is a French phrase then its English counterpart.
 */
export const networkMails = {
	invitation(p: { name: string; labName: string; url: string }) {
		return {
			subject: `${p.labName} : rejoindre le réseau des référents / join the referent network`,
			text: [
				`Bonjour ${p.name},`,
				'',
				`${p.labName} constitue un réseau de référents volontaires pour animer des ateliers de coproduction. Votre nom lui a été transmis.`,
				"Rien n'est publié sans votre accord. Pour lire l'objet du réseau, vérifier votre profil et donner (ou non) votre accord :",
				p.url,
				'',
				"Sans réponse de votre part, vous ne recevrez pas d'autre message du réseau.",
				...SEP,
				`Hello ${p.name},`,
				'',
				`${p.labName} is building a network of volunteer facilitators and was given your name. Nothing is used without your consent: open the link above to read its purpose and decide.`
			].join('\n')
		};
	},
	joined(p: { name: string; labName: string; manageUrl: string }) {
		return {
			subject: `${p.labName} : bienvenue dans le réseau des référents / welcome to the network`,
			text: [
				`Bonjour ${p.name},`,
				'',
				`Votre profil de référent de ${p.labName} est actif. Ce lien personnel vous permet à tout moment de le modifier, de télécharger vos données, de vous retirer du réseau ou de demander l'effacement de vos données :`,
				p.manageUrl,
				...SEP,
				`Hello ${p.name},`,
				'',
				`Your referent profile at ${p.labName} is active. The personal link above lets you edit it, download your data, withdraw or ask for erasure at any time.`
			].join('\n')
		};
	},
	call(p: {
		name: string;
		labName: string;
		event: string;
		startsAt: string;
		place: string;
		deadline: string;
		message: string;
		yes: string;
		maybe: string;
		no: string;
		manageUrl: string;
	}) {
		const fr = { when: formatDateTime('fr', p.startsAt), deadline: formatDate('fr', p.deadline) };
		const en = { when: formatDateTime('en', p.startsAt), deadline: formatDate('en', p.deadline) };
		return {
			subject: `Appel à référent·es : « ${p.event} », ${fr.when} / Call for referents: "${p.event}", ${en.when}`,
			text: [
				`Bonjour ${p.name},`,
				'',
				`${p.labName} cherche des référent·es pour animer « ${p.event} », le ${fr.when}${p.place ? `, ${p.place}` : ''}.`,
				...(p.message ? ['', p.message] : []),
				'',
				`Merci de répondre avant le ${fr.deadline}, en un clic (sans vous connecter) :`,
				`- Oui : ${p.yes}`,
				`- Peut-être : ${p.maybe}`,
				`- Non : ${p.no}`,
				'',
				`Vous retirer du réseau ou gérer vos données : ${p.manageUrl}`,
				...SEP,
				`Hello ${p.name},`,
				'',
				`${p.labName} is looking for referents to facilitate "${p.event}" on ${en.when}. Please answer before ${en.deadline} with one of the links above (yes / maybe / no); no login needed.`
			].join('\n')
		};
	},
	assigned(p: {
		name: string;
		labName: string;
		event: string;
		startsAt: string;
		place: string;
		role: string;
		roleEn: string;
		partner: string | null;
		manageUrl: string;
	}) {
		const fr = formatDateTime('fr', p.startsAt);
		const en = formatDateTime('en', p.startsAt);
		return {
			subject: `Confirmation : vous animez « ${p.event} », ${fr} / Confirmed: you are facilitating "${p.event}", ${en}`,
			text: [
				`Bonjour ${p.name},`,
				'',
				`C'est confirmé : vous êtes ${p.role} pour « ${p.event} », le ${fr}${p.place ? `, ${p.place}` : ''}.`,
				...(p.partner ? [`Vous animerez en binôme avec ${p.partner}.`] : []),
				"L'invitation pour votre agenda est jointe (fichier .ics).",
				'',
				`Vous retirer du réseau ou gérer vos données : ${p.manageUrl}`,
				...SEP,
				`Hello ${p.name},`,
				'',
				`Confirmed: you are ${p.roleEn} for "${p.event}" on ${en}.${p.partner ? ` You will work in a pair with ${p.partner}.` : ''} The calendar invitation is attached (.ics).`
			].join('\n')
		};
	},
	released(p: { name: string; labName: string; event: string; startsAt: string }) {
		const fr = formatDateTime('fr', p.startsAt);
		const en = formatDateTime('en', p.startsAt);
		return {
			subject: `Changement : « ${p.event} », ${fr} / Change of plans: "${p.event}", ${en}`,
			text: [
				`Bonjour ${p.name},`,
				'',
				`Finalement, ${p.labName} ne vous sollicite pas pour animer « ${p.event} » le ${fr}. Merci pour votre disponibilité.`,
				...SEP,
				`Hello ${p.name},`,
				'',
				`${p.labName} will not need you to facilitate "${p.event}" on ${en} after all. Thank you for being available.`
			].join('\n')
		};
	},
	reminder(p: { name: string; event: string; startsAt: string; place: string; role: string; roleEn: string }) {
		const fr = formatDateTime('fr', p.startsAt);
		const en = formatDateTime('en', p.startsAt);
		return {
			subject: `Rappel : « ${p.event} », ${fr} / Reminder: "${p.event}", ${en}`,
			text: [
				`Bonjour ${p.name},`,
				'',
				`Pour rappel, vous êtes ${p.role} pour « ${p.event} », le ${fr}${p.place ? `, ${p.place}` : ''}.`,
				...SEP,
				`Hello ${p.name},`,
				'',
				`A reminder: you are ${p.roleEn} for "${p.event}" on ${en}.`
			].join('\n')
		};
	}
};
