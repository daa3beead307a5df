import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { DomainError } from '../errors';
import { isSiret, SIRET_RE } from '$lib/shared/opendata';
import { labSettings, updateLabSettings, type LabContext } from './labs.service';

/** The granting authority the lab's open-data files name: its institution's official name and SIRET. */
export interface GrantingAuthority {
	name: string;
	siret: string;
}

export async function grantingAuthority(db: Kysely<Database>, labId: string): Promise<GrantingAuthority> {
	const s = await labSettings(db, labId);
	return { name: s.authorityName, siret: s.authoritySiret };
}

/** Coordinators set it (lab settings, audited); the SIRET must be 14 digits passing the Luhn check. */
export async function setGrantingAuthority(db: Kysely<Database>, ctx: LabContext, input: { name: string; siret: string }): Promise<void> {
	const name = input.name.trim();
	const siret = input.siret.replace(/\s+/g, '');
	if (!name) throw new DomainError('form.required', 400, {}, 'authorityName');
	if (!SIRET_RE.test(siret)) throw new DomainError('opendata.siretFormat', 400, {}, 'authoritySiret');
	if (!isSiret(siret)) throw new DomainError('opendata.siretChecksum', 400, {}, 'authoritySiret');
	await updateLabSettings(db, ctx, { authorityName: name, authoritySiret: siret });
}
