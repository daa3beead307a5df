import { roleLabel } from '$lib/i18n';
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
				"If you were not expecting this invitation, ignore this message."
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
