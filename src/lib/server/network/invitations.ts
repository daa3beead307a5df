/** Personal links for referents without an account, and invitations sent by an import. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, nowIso } from '../db/util';
import { DomainError } from '../errors';
import { hashToken, newToken } from '../auth';
import { findOrCreatePerson, normaliseEmail } from '../auth';
import type { Territory } from '$lib/shared/network';
import { publicOrigin } from '../env';
import { enqueueMail } from '../mail';
import { networkMails } from '../mail';
import type { LabSummary } from '../labs';
import { LINK_TTL_MS, type ProfileInput, upsertReferent } from './network.service';

export async function issueReferentLink(db: Kysely<Database>, referentId: string): Promise<string> {
	const token = newToken();
	const now = Date.now();
	await db
		.insertInto('referent_link')
		.values({
			token_hash: hashToken(token),
			referent_id: referentId,
			created_at: new Date(now).toISOString(),
			expires_at: new Date(now + LINK_TTL_MS).toISOString()
		})
		.execute();
	return token;
}

/** The referent a personal link opens, in this lab; null when unknown or expired. */
export async function referentByLink(db: Kysely<Database>, labId: string, token: string): Promise<string | null> {
	if (!token) return null;
	const row = await db
		.selectFrom('referent_link as l')
		.innerJoin('referent as r', 'r.id', 'l.referent_id')
		.where('l.token_hash', '=', hashToken(token))
		.where('r.lab_id', '=', labId)
		.where('l.expires_at', '>', nowIso())
		.select('r.id')
		.executeTakeFirst();
	return row?.id ?? null;
}

// ——— Invitations from an import ———

export interface InvitationProfile {
	directorate: string;
	service: string;
	territory: Territory;
	skills: string[]; // labels
	languages: string;
	daysPerMonth: number;
}

export async function invitationByToken(db: Kysely<Database>, labId: string, token: string) {
	const row = await db.selectFrom('network_invitation').where('token_hash', '=', hashToken(token)).where('lab_id', '=', labId).selectAll().executeTakeFirst();
	if (!row) return null;
	return {
		id: row.id,
		name: row.name,
		email: row.email,
		acceptedAt: row.accepted_at,
		expired: !row.expires_at || row.expires_at <= nowIso(),
		profile: JSON.parse(row.profile) as InvitationProfile
	};
}

/** An invited agent consents through their link: their person record and profile are created. */
export async function acceptNetworkInvitation(db: Kysely<Database>, labId: string, token: string, input: ProfileInput, consent: boolean): Promise<string> {
	if (!consent) throw new DomainError('network.consentRequired', 400, {}, 'consent');
	return inTransaction(db, async (trx) => {
		const inv = await invitationByToken(trx, labId, token);
		if (!inv) throw new DomainError('network.invitationInvalid', 404);
		if (inv.acceptedAt) throw new DomainError('network.invitationUsed', 409);
		if (inv.expired) throw new DomainError('network.invitationExpired', 410);
		const email = normaliseEmail(inv.email);
		const now = nowIso();
		const personId = await findOrCreatePerson(trx, { email, name: inv.name, organisation: input.directorate || null });
		const id = await upsertReferent(trx, labId, personId, input, null);
		await trx.updateTable('network_invitation').set({ accepted_at: now, updated_at: now }).where('id', '=', inv.id).execute();
		return id;
	});
}

/**
 * An invited agent joins by their mailed link, in one transaction: the invitation accepted
 * (with consent), their personal link issued, and the mail that carries it queued.
 */
export async function joinByInvitation(
	db: Kysely<Database>,
	lab: LabSummary,
	token: string,
	input: ProfileInput
): Promise<{ name: string; manageUrl: string }> {
	const inv = await invitationByToken(db, lab.id, token);
	if (!inv) throw new DomainError('network.join.notFound', 404);
	if (inv.acceptedAt) throw new DomainError('network.join.used', 409);
	if (inv.expired) throw new DomainError('network.join.expired', 410);
	const manageUrl = await inTransaction(db, async (trx) => {
		const referentId = await acceptNetworkInvitation(trx, lab.id, token, input, true);
		const personal = await issueReferentLink(trx, referentId);
		const url = `${publicOrigin()}/l/${lab.slug}/network/me/${personal}`;
		const mail = networkMails.joined({ name: inv.name, labName: lab.name, manageUrl: url });
		await enqueueMail(trx, { labId: lab.id, to: inv.email, subject: mail.subject, text: mail.text });
		return url;
	});
	return { name: inv.name, manageUrl };
}
