/**
 * Single sign-on's account rules (docs/decisions/016-single-sign-on.md), in ONE transaction so a
 * refused sign-in leaves nothing behind (no account without a lab, no half-accepted invitation):
 *
 * 1. an identity already linked (issuer + subject) signs into its account;
 * 2. otherwise the provider's e-mail must be verified; it signs into the account with that e-mail
 *    and links the identity to it;
 * 3. otherwise an account is created, only if an invitation is pending for that e-mail (accepted
 *    here) or a lab lets its domain join (joined here with the lab's chosen role);
 * 4. a verified e-mail also accepts the invitations pending for it.
 *
 * A disabled account is refused. The Labo session opened keeps the provider's ID token, so
 * logging out ends the provider's session too.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction } from '../db/util';
import { DomainError } from '../errors';
import { accountByEmail, accountByIdentity, createAccountFromProvider, linkIdentity, openProviderSession, type ProviderIdentity } from '../auth';
import { acceptInvitationsFor, hasPendingInvitation, joinByDomain, joinDomainAllows } from '../members';

export interface ProviderSignIn {
	accountId: string;
	session: { token: string; expiresAt: Date };
	/** Labs joined by this sign-in (invitations accepted, domains allowed). */
	joined: string[];
	created: boolean;
}

export async function signInWithProvider(db: Kysely<Database>, id: ProviderIdentity): Promise<ProviderSignIn> {
	return inTransaction(db, async (trx) => {
		let account = await accountByIdentity(trx, id.issuer, id.subject);
		const email = id.email && id.emailVerified ? id.email : null;
		if (!account && !email) throw new DomainError(id.email ? 'sso.emailNotVerified' : 'sso.noEmail', 403);
		if (!account && email) account = await accountByEmail(trx, email);
		let created = false;
		let accountId: string;
		if (account) {
			if (account.disabled) throw new DomainError('auth.accountDisabled', 403);
			accountId = account.accountId;
		} else {
			const withEmail = { ...id, email: email! };
			if (!(await hasPendingInvitation(trx, withEmail.email)) && !(await joinDomainAllows(trx, withEmail.email)))
				throw new DomainError('sso.noInvitation', 403, { email: withEmail.email });
			accountId = await createAccountFromProvider(trx, withEmail);
			created = true;
		}
		await linkIdentity(trx, accountId, id);
		const joined = email ? await acceptInvitationsFor(trx, accountId, email) : [];
		if (created && joined.length === 0) joined.push(...(await joinByDomain(trx, accountId, email!)));
		const session = await openProviderSession(trx, accountId, id);
		return { accountId, session, joined, created };
	});
}

/** Links the provider's identity to a signed-in account (from the profile). */
export async function linkProvider(db: Kysely<Database>, accountId: string, id: ProviderIdentity): Promise<void> {
	await inTransaction(db, (trx) => linkIdentity(trx, accountId, id));
}
