import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/lib/server/db';
import { insertAccount } from '../../src/lib/server/auth/auth.service';
import { createLab, labContext, type LabContext, type LabSummary } from '../../src/lib/server/labs/labs.service';
import { addMembership } from '../../src/lib/server/members';
import { validateSession, createSession } from '../../src/lib/server/auth/session';
import type { Role } from '../../src/lib/shared/roles';

export const FACTORY_PASSWORD = 'factory-password-1';
/** FACTORY_PASSWORD hashed once at today's scrypt parameters (each hash costs ~0.5 s and 128 MiB). */
export const FACTORY_PASSWORD_HASH = 'scrypt$131072$8$1$4ioVWhHTb+QCwUdgZ72b1g==$5oI86zA5JJ9OpHB7QzBdlcX7X/0r269DYa0oKe6fsqI=';

export const uid = (): string => randomBytes(4).toString('hex');

export async function makeLab(db: Db, overrides: Partial<{ slug: string; name: string; region: string }> = {}): Promise<LabSummary> {
	const id = uid();
	return createLab(db, null, { slug: `lab-${id}`, name: `Labo ${id}`, region: 'Région test', ...overrides });
}

export async function makeAccount(
	db: Db,
	overrides: Partial<{ email: string; name: string; organisation: string | null }> = {}
): Promise<{ accountId: string; personId: string; email: string }> {
	const email = overrides.email ?? `person-${uid()}@example.test`;
	const res = await insertAccount(db, {
		name: overrides.name ?? `Personne ${uid()}`,
		email,
		passwordHash: FACTORY_PASSWORD_HASH,
		organisation: overrides.organisation ?? null
	});
	return { ...res, email };
}

/** An account that is a member of `lab` with `role`, and the LabContext it acts with. */
export async function makeMember(db: Db, lab: LabSummary, role: Role, overrides: Partial<{ email: string; name: string }> = {}) {
	const account = await makeAccount(db, overrides);
	const membershipId = await addMembership(db, { labId: lab.id, accountId: account.accountId, role, actorId: null });
	const ctx = await contextFor(db, lab, account.accountId);
	return { ...account, membershipId, ctx };
}

/** The LabContext a given account gets in a lab (role null when not a member). */
export async function contextFor(db: Db, lab: LabSummary, accountId: string): Promise<LabContext> {
	const { token } = await createSession(db, accountId);
	const v = await validateSession(db, token);
	return labContext(db, lab.slug, v?.user ?? null);
}

/** The answer token of the newest call mail sent to `email` (what its "yes" link carries). */
export async function answerToken(db: Db, email: string): Promise<string> {
	const m = await db
		.selectFrom('outbox_message')
		.where('to_address', '=', email)
		.where('subject', 'like', 'Appel%')
		.orderBy('created_at', 'desc')
		.select('text_body')
		.executeTakeFirstOrThrow();
	return /\/network\/answer\/([A-Za-z0-9_-]+)\?r=yes/.exec(m.text_body)![1]!;
}
