// Mails about comments on the journal (every mail template lives in this folder; templates.ts
// holds those of accounts, invitations and the network). They go to members (whose language we
// know, but who may forward them) and to commenters (whose language we do not know): French
// first, then English.
// A commenter's e-mail address never appears in them.

const SEP = ['', '—', ''];

/** The first lines of a comment, for a mail: at most `max` characters, on one paragraph. */
export function excerpt(body: string, max = 400): string {
	const flat = body.replace(/\s+/g, ' ').trim();
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export interface DigestItem {
	postTitle: string;
	name: string;
	pending: boolean;
	excerpt: string;
	url: string;
}

export const journalMails = {
	/** One new comment, to an author or a coordinator whose choice is "each". */
	newComment(p: { labName: string; postTitle: string; name: string; pending: boolean; excerpt: string; postUrl: string; moderationUrl: string }) {
		return {
			subject: p.pending
				? `${p.labName} : commentaire à modérer sur « ${p.postTitle} » / comment awaiting moderation`
				: `${p.labName} : nouveau commentaire sur « ${p.postTitle} » / new comment`,
			text: [
				'Bonjour,',
				'',
				`${p.name} a commenté « ${p.postTitle} » :`,
				'',
				`> ${p.excerpt}`,
				'',
				p.pending ? "Ce commentaire attend une modération avant d'être publié :" : 'Ce commentaire est publié :',
				p.pending ? p.moderationUrl : p.postUrl,
				'',
				`Pour choisir de recevoir ces messages un par un, en résumé quotidien ou plus du tout : ${p.moderationUrl}`,
				...SEP,
				'Hello,',
				'',
				`${p.name} commented on "${p.postTitle}" (quoted above).`,
				p.pending ? 'The comment awaits moderation before it is published: see the first link above.' : 'The comment is published: see the first link above.',
				'The last link lets you receive these messages one by one, as a daily digest, or not at all.'
			].join('\n')
		};
	},

	/** Every comment since the last digest, for a member whose choice is "digest". */
	digest(p: { labName: string; items: DigestItem[]; moderationUrl: string }) {
		const pending = p.items.filter((i) => i.pending).length;
		const lines = p.items.flatMap((i) => [
			`• ${i.postTitle} — ${i.name}${i.pending ? ' (à modérer / awaiting moderation)' : ''}`,
			`  ${i.excerpt}`,
			`  ${i.url}`,
			''
		]);
		return {
			subject: `${p.labName} : ${p.items.length} nouveau(x) commentaire(s) / new comment(s)`,
			text: [
				'Bonjour,',
				'',
				`Voici les commentaires reçus par le journal de ${p.labName} depuis le dernier résumé${pending ? `, dont ${pending} à modérer` : ''} :`,
				'',
				...lines,
				`Modérer, ou changer la fréquence de ces messages : ${p.moderationUrl}`,
				...SEP,
				'Hello,',
				'',
				`Above are the comments received by the journal of ${p.labName} since the last digest${pending ? ` (${pending} awaiting moderation)` : ''}.`,
				'The last link lets you moderate them or change how often you receive these messages.'
			].join('\n')
		};
	},

	/** The link that erases a commenter's comments; sent only when there are some. */
	erasure(p: { labName: string; url: string; minutes: number }) {
		return {
			subject: `${p.labName} : effacer vos commentaires / erase your comments`,
			text: [
				'Bonjour,',
				'',
				`Vous avez demandé l'effacement des commentaires laissés avec cette adresse sur le journal de ${p.labName}.`,
				`Pour confirmer, ouvrez ce lien (valable ${p.minutes} minutes et une seule fois) :`,
				p.url,
				'',
				"Si vous n'avez rien demandé, ignorez ce message : rien ne sera effacé.",
				...SEP,
				'Hello,',
				'',
				`You asked to erase the comments left with this address on the journal of ${p.labName}.`,
				`To confirm, open the link above (it works once, for ${p.minutes} minutes). If you did not ask, ignore this message: nothing will be erased.`
			].join('\n')
		};
	}
};
