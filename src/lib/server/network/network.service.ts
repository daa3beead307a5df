/**
 * The referent network: its skills, the ladder of involvement, and a referent's own path
 * (joining with consent, profile, withdrawal, erasure). Reading the directory is directory.ts;
 * personal links and imported invitations are invitations.ts.
 */
import type { MessageKey } from '$lib/i18n';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, newId, nowIso } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import type { LabContext } from '../labs';
import { roleTallies } from '../events';
import { deletePersonIfUnused, emailsOfPeople } from '../auth';
import { CONSENT_VERSION, levelOf, type LadderCounts, type Level, type LevelReason, type Territory } from '$lib/shared/network';

export interface Skill {
	id: string;
	label: string;
}

export interface Period {
	from: string; // YYYY-MM-DD
	to: string;
}

export interface ProfileInput {
	directorate: string;
	service: string;
	territory: Territory;
	skills: string[]; // skill ids of the lab
	languages: string;
	daysPerMonth: number;
	bio: string;
	unavailable: Period[];
}

export interface ReferentProfile extends ProfileInput {
	id: string;
	personId: string;
	name: string;
	email: string | null;
	skillLabels: string[];
	consentVersion: string;
	consentAt: string;
	withdrawnAt: string | null;
	erasureRequestedAt: string | null;
	level: Level;
	reasons: LevelReason[];
	next: MessageKey | null;
}

export interface DirectoryRow {
	id: string;
	name: string;
	directorate: string;
	service: string;
	territory: Territory;
	skills: string[];
	level: Level;
	daysPerMonth: number;
}

export const LINK_TTL_MS = 365 * 24 * 60 * 60 * 1000;
/** An invitation mailed after an import works for 30 days; importing the file again re-invites whoever let it lapse. */
export const INVITATION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const DIRECTORY_PAGE_SIZE = 50;

// ——— Skills ———

export async function listSkills(db: Kysely<Database>, labId: string): Promise<Skill[]> {
	return db.selectFrom('network_skill').where('lab_id', '=', labId).select(['id', 'label']).orderBy('position').orderBy('label').execute();
}

/** Replaces the lab's list of skills by `labels` (kept ids for labels that stay). */
export async function saveSkills(db: Kysely<Database>, ctx: LabContext, labels: string[]): Promise<void> {
	authorize(ctx.role, 'network.manage');
	const clean = [
		...new Map(
			labels
				.map((l) => l.trim())
				.filter(Boolean)
				.map((l) => [l.toLowerCase(), l])
		).values()
	];
	if (clean.some((l) => l.length > 80)) throw new DomainError('network.skillTooLong', 400, {}, 'skills');
	if (clean.length > 100) throw new DomainError('network.tooManySkills', 400, {}, 'skills');
	await inTransaction(db, async (trx) => {
		const existing = await listSkills(trx, ctx.lab.id);
		const byLabel = new Map(existing.map((s) => [s.label.toLowerCase(), s.id]));
		const keep = new Set<string>();
		for (const [i, label] of clean.entries()) {
			const id = byLabel.get(label.toLowerCase());
			if (id) {
				keep.add(id);
				await trx.updateTable('network_skill').set({ label, position: i }).where('id', '=', id).execute();
			} else {
				await trx.insertInto('network_skill').values({ id: newId(), lab_id: ctx.lab.id, label, position: i }).execute();
			}
		}
		const gone = existing.filter((s) => !keep.has(s.id)).map((s) => s.id);
		if (gone.length) await trx.deleteFrom('network_skill').where('id', 'in', gone).execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'network.skills',
			subjectType: 'lab',
			subjectId: ctx.lab.id,
			summary: { count: clean.length }
		});
	});
}

// ——— Ladder ———

/**
 * What each person did, from recorded events that are over: facilitations by role, trainings
 * completed and given. A participant marked absent does not count. `personIds` limits the
 * query; without it every person recorded in the lab is counted in one grouped query.
 */
export async function ladderCounts(db: Kysely<Database>, labId: string, personIds?: string[]): Promise<Map<string, LadderCounts>> {
	const tallies = await roleTallies(db, labId, personIds);
	return new Map(
		[...tallies].map(([id, t]) => [
			id,
			{ facilitated: t.facilitator, coFacilitated: t.coFacilitator, trainingsCompleted: t.trainee, trainingsGiven: t.trainer }
		])
	);
}

export async function levelsOf(db: Kysely<Database>, labId: string, personIds?: string[]): Promise<Map<string, Level>> {
	const counts = await ladderCounts(db, labId, personIds);
	return new Map([...counts].map(([id, c]) => [id, levelOf(c).level]));
}

// ——— Joining, profile, withdrawal ———

function checkProfile(input: ProfileInput, skills: Skill[]) {
	const known = new Set(skills.map((s) => s.id));
	if (input.skills.some((s) => !known.has(s))) throw new DomainError('network.unknownSkill', 400, {}, 'skills');
	for (const p of input.unavailable) if (p.to < p.from) throw new DomainError('network.periodReversed', 400, { from: p.from, to: p.to }, 'unavailable');
}

async function writeProfile(trx: Kysely<Database>, referentId: string, input: ProfileInput) {
	await trx.deleteFrom('referent_skill').where('referent_id', '=', referentId).execute();
	if (input.skills.length)
		await trx
			.insertInto('referent_skill')
			.values([...new Set(input.skills)].map((skill_id) => ({ referent_id: referentId, skill_id })))
			.execute();
	await trx.deleteFrom('referent_unavailable').where('referent_id', '=', referentId).execute();
	if (input.unavailable.length)
		await trx
			.insertInto('referent_unavailable')
			.values(input.unavailable.map((p) => ({ id: newId(), referent_id: referentId, from_day: p.from, to_day: p.to })))
			.execute();
}

/**
 * Creates (or updates, or re-activates) the referent profile of `personId` in `labId`. Only
 * called with the person's own consent: from their account or their invitation link.
 */
export async function upsertReferent(trx: Kysely<Database>, labId: string, personId: string, input: ProfileInput, actorId: string | null): Promise<string> {
	checkProfile(input, await listSkills(trx, labId));
	const now = nowIso();
	const existing = await trx
		.selectFrom('referent')
		.where('lab_id', '=', labId)
		.where('person_id', '=', personId)
		.select(['id', 'withdrawn_at'])
		.executeTakeFirst();
	const fields = {
		directorate: input.directorate,
		service: input.service,
		territory: input.territory,
		languages: input.languages,
		days_per_month: input.daysPerMonth,
		bio: input.bio,
		updated_at: now
	};
	let id: string;
	if (existing) {
		id = existing.id;
		await trx
			.updateTable('referent')
			.set({ ...fields, consent_version: CONSENT_VERSION, consent_at: now, withdrawn_at: null, erasure_requested_at: null })
			.where('id', '=', id)
			.execute();
	} else {
		id = newId();
		await trx
			.insertInto('referent')
			.values({
				id,
				lab_id: labId,
				person_id: personId,
				...fields,
				consent_version: CONSENT_VERSION,
				consent_at: now,
				withdrawn_at: null,
				erasure_requested_at: null,
				created_at: now
			})
			.execute();
	}
	await writeProfile(trx, id, input);
	await recordAudit(trx, {
		labId,
		actorId,
		action: existing ? 'referent.consent' : 'referent.join',
		subjectType: 'referent',
		subjectId: id,
		summary: { consentVersion: CONSENT_VERSION }
	});
	return id;
}

/** A member joins the network (or updates their profile) with their explicit consent. */
export async function joinNetwork(db: Kysely<Database>, ctx: LabContext, input: ProfileInput, consent: boolean): Promise<string> {
	authorize(ctx.role, 'network.join');
	if (!consent) throw new DomainError('network.consentRequired', 400, {}, 'consent');
	return inTransaction(db, (trx) => upsertReferent(trx, ctx.lab.id, ctx.actor!.personId, input, ctx.actor!.accountId));
}

/** A referent who had withdrawn joins again through their personal link (a new consent). */
export async function consentAgain(db: Kysely<Database>, labId: string, referentId: string, input: ProfileInput, consent: boolean): Promise<string> {
	if (!consent) throw new DomainError('network.consentRequired', 400, {}, 'consent');
	return inTransaction(db, async (trx) => {
		const r = await trx.selectFrom('referent').where('id', '=', referentId).where('lab_id', '=', labId).select('person_id').executeTakeFirst();
		if (!r) throw new DomainError('network.notFound', 404);
		return upsertReferent(trx, labId, r.person_id, input, null);
	});
}

/** The caller's own profile in this lab, if they have one (withdrawn or not). */
export async function myReferentId(db: Kysely<Database>, ctx: LabContext): Promise<string | null> {
	authorize(ctx.role, 'network.join');
	const row = await db.selectFrom('referent').where('lab_id', '=', ctx.lab.id).where('person_id', '=', ctx.actor!.personId).select('id').executeTakeFirst();
	return row?.id ?? null;
}

/** Updates a profile without renewing consent (the person or staff editing it). */
export async function updateProfile(db: Kysely<Database>, labId: string, referentId: string, input: ProfileInput): Promise<void> {
	await inTransaction(db, async (trx) => {
		checkProfile(input, await listSkills(trx, labId));
		const r = await trx
			.updateTable('referent')
			.set({
				directorate: input.directorate,
				service: input.service,
				territory: input.territory,
				languages: input.languages,
				days_per_month: input.daysPerMonth,
				bio: input.bio,
				updated_at: nowIso()
			})
			.where('id', '=', referentId)
			.where('lab_id', '=', labId)
			.where('withdrawn_at', 'is', null)
			.executeTakeFirst();
		if (!Number(r.numUpdatedRows)) throw new DomainError('network.notFound', 404);
		await writeProfile(trx, referentId, input);
	});
}

/** Withdrawing hides the profile at once: from the directory, from matching, from answers. */
export async function withdraw(db: Kysely<Database>, labId: string, referentId: string, actorId: string | null): Promise<void> {
	await inTransaction(db, async (trx) => {
		const now = nowIso();
		const r = await trx
			.updateTable('referent')
			.set({ withdrawn_at: now, updated_at: now })
			.where('id', '=', referentId)
			.where('lab_id', '=', labId)
			.where('withdrawn_at', 'is', null)
			.executeTakeFirst();
		if (!Number(r.numUpdatedRows)) return;
		// Pending answer links stop working.
		await trx.updateTable('call_answer').set({ token_hash: null }).where('referent_id', '=', referentId).where('answered_at', 'is', null).execute();
		await recordAudit(trx, { labId, actorId, action: 'referent.withdraw', subjectType: 'referent', subjectId: referentId, summary: {} });
	});
}

/** Asking for erasure also withdraws; a coordinator then carries it out. */
export async function requestErasure(db: Kysely<Database>, labId: string, referentId: string, actorId: string | null): Promise<void> {
	await inTransaction(db, async (trx) => {
		await withdraw(trx, labId, referentId, actorId);
		await trx.updateTable('referent').set({ erasure_requested_at: nowIso() }).where('id', '=', referentId).where('lab_id', '=', labId).execute();
		await recordAudit(trx, { labId, actorId, action: 'referent.erasureRequested', subjectType: 'referent', subjectId: referentId, summary: {} });
	});
}

/**
 * The network's part of erasing a referent (the command `eraseReferent` in commands/ runs it,
 * then anonymises the person in events and experiments, in one transaction): the profile,
 * skills, periods and links go; answers and assignments keep only the referent's id, which no
 * longer leads to anyone; the person record goes too unless it belongs to an account or another
 * lab's profile. Returns the person and the name the other domains' records get instead.
 */
export async function eraseReferentProfile(trx: Kysely<Database>, ctx: LabContext, referentId: string): Promise<{ personId: string; anonymous: string }> {
	authorize(ctx.role, 'network.erase');
	const r = await trx.selectFrom('referent').where('id', '=', referentId).where('lab_id', '=', ctx.lab.id).select(['id', 'person_id']).executeTakeFirst();
	if (!r) throw new DomainError('network.notFound', 404);
	const email = (await emailsOfPeople(trx, [r.person_id])).get(r.person_id) ?? null;
	await trx.updateTable('call_answer').set({ token_hash: null }).where('referent_id', '=', referentId).execute();
	await trx.deleteFrom('referent').where('id', '=', referentId).execute();
	if (email) await trx.deleteFrom('network_invitation').where('lab_id', '=', ctx.lab.id).where('email', '=', email).execute();
	await recordAudit(trx, {
		labId: ctx.lab.id,
		actorId: ctx.actor?.accountId ?? null,
		action: 'referent.erase',
		subjectType: 'referent',
		subjectId: referentId,
		summary: {}
	});
	return { personId: r.person_id, anonymous: `Anonyme ${referentId.slice(0, 8)}` };
}

/** After the other domains let go of the person: deletes the person record unless another lab's profile or an account stands on it. */
export async function releaseErasedPerson(trx: Kysely<Database>, personId: string): Promise<void> {
	const elsewhere = await trx.selectFrom('referent').where('person_id', '=', personId).select('id').executeTakeFirst();
	if (!elsewhere) await deletePersonIfUnused(trx, personId);
}
