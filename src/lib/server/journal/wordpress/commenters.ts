/**
 * Commenters' e-mail addresses in a WordPress export: read, turned into the keyed hash comments
 * use, and never kept (not even in the stored job).
 */
import { emailHash } from '../comments';

/**
 * The export as the job keeps it: commenters' IP addresses emptied, their e-mails replaced by
 * the keyed hash comments use (so an imported commenter is recognised, and can erase their
 * comments, without the address being kept).
 */
export function stripCommenterEmails(text: string): string {
	return text
		.replace(/(<wp:comment_author_IP>)[\s\S]*?(<\/wp:comment_author_IP>)/g, '$1$2')
		.replace(/(<wp:comment_author_email>)([\s\S]*?)(<\/wp:comment_author_email>)/g, (_, open: string, email: string, close: string) => {
			const address = email.replace(/^<!\[CDATA\[|\]\]>$/g, '').trim();
			return `${open}${address && !address.startsWith(HASHED) ? HASHED + emailHash(address) : address}${close}`;
		});
}

const HASHED = 'hash:';
/** A commenter's key: their e-mail's keyed hash, computed now or when the job was stored. */
export const commenterHash = (email: string): string => (!email ? '' : email.startsWith(HASHED) ? email.slice(HASHED.length) : emailHash(email));
