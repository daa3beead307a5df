/** Each member's choice of comment notices (each, a daily digest, none) and the digests. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { inTransaction, nowIso } from '../../db/util';
import { DomainError, forbidden } from '../../errors';
import { enqueueMail } from '../../mail';
import { publicOrigin } from '../../env';
import { labName, labSlug, type LabContext } from '../../labs';
import { accountLoginEmail, accountPerson, enabledAccount } from '../../auth';
import { roleIn } from '../../members';
import { excerpt, journalMails, type DigestItem } from '../../mail';
import { displayTitle } from '$lib/shared/journal';
import { COMMENT_RULES, type NotifyMode, isNotifyMode } from './rules';

/** How the caller hears about new comments in this lab ("each" until they choose). */
export async function notifyMode(db: Kysely<Database>, ctx: LabContext): Promise<NotifyMode> {
	if (!ctx.actor || !ctx.role) throw forbidden();
	const row = await db
		.selectFrom('journal_notify')
		.where('lab_id', '=', ctx.lab.id)
		.where('account_id', '=', ctx.actor.accountId)
		.select('mode')
		.executeTakeFirst();
	return isNotifyMode(row?.mode) ? row.mode : 'each';
}

export async function setNotifyMode(db: Kysely<Database>, ctx: LabContext, mode: NotifyMode): Promise<void> {
	if (!ctx.actor || !ctx.role) throw forbidden();
	if (!isNotifyMode(mode)) throw new DomainError('form.invalidChoice', 400, {}, 'mode');
	const actor = ctx.actor;
	await inTransaction(db, async (trx) => {
		const row = await trx
			.selectFrom('journal_notify')
			.where('lab_id', '=', ctx.lab.id)
			.where('account_id', '=', actor.accountId)
			.select(['mode', 'last_digest_at'])
			.executeTakeFirst();
		// Choosing the digest starts its clock: the first one comes a day later, with what arrived since.
		const last = mode === 'digest' ? (row?.mode === 'digest' ? row.last_digest_at : nowIso()) : (row?.last_digest_at ?? null);
		await trx
			.insertInto('journal_notify')
			.values({ lab_id: ctx.lab.id, account_id: actor.accountId, mode, last_digest_at: last })
			.onConflict((oc) => oc.columns(['lab_id', 'account_id']).doUpdateSet({ mode, last_digest_at: last }))
			.execute();
	});
}

/**
 * The daily digests: each member whose choice is "digest", whose last digest is 24 hours old (or
 * who never had one) and who has new comments since — on every post of the lab for coordinators,
 * on the posts they signed for authors — gets one mail listing them. Their own comments, and
 * comments already marked spam or rejected, are left out. Returns the number of mails queued.
 * `origin` makes the links absolute (defaults to ORIGIN from the environment).
 */
export async function sendDigests(db: Kysely<Database>, now: Date = new Date(), origin: string = publicOrigin()): Promise<number> {
	const nowStr = now.toISOString();
	const cutoff = new Date(now.getTime() - COMMENT_RULES.digestEveryMs).toISOString();
	const subscribers = await db
		.selectFrom('journal_notify as n')
		.where('n.mode', '=', 'digest')
		.where((eb) => eb.or([eb('n.last_digest_at', 'is', null), eb('n.last_digest_at', '<=', cutoff)]))
		.where((eb) => eb.exists(enabledAccount(eb.ref('n.account_id'))))
		.select((eb) => [
			'n.lab_id',
			'n.account_id',
			'n.last_digest_at',
			roleIn(eb.ref('n.lab_id'), eb.ref('n.account_id')).as('role'),
			accountLoginEmail(eb.ref('n.account_id')).as('email'),
			accountPerson(eb.ref('n.account_id')).as('person_id'),
			labSlug(eb.ref('n.lab_id')).as('slug'),
			labName(eb.ref('n.lab_id')).as('name')
		])
		.execute()
		// Members only: a former member keeps no digest.
		.then((rows) =>
			rows.flatMap((r) => (r.role === null ? [] : [{ ...r, role: r.role, email: r.email!, person_id: r.person_id!, slug: r.slug!, name: r.name! }]))
		);
	let sent = 0;
	for (const s of subscribers) {
		const since = s.last_digest_at ?? cutoff;
		let q = db
			.selectFrom('comment as c')
			.innerJoin('post as p', 'p.id', 'c.post_id')
			.where('c.lab_id', '=', s.lab_id)
			.where('c.created_at', '>', since)
			.where('c.created_at', '<=', nowStr)
			.where('c.state', 'in', ['pending', 'approved'])
			.where((eb) => eb.or([eb('c.person_id', 'is', null), eb('c.person_id', '!=', s.person_id)]));
		if (s.role !== 'coordinator') {
			q = q.where((eb) =>
				eb.exists(eb.selectFrom('post_author as pa').whereRef('pa.post_id', '=', 'c.post_id').where('pa.person_id', '=', s.person_id).select('pa.post_id'))
			);
		}
		const comments = await q
			.select(['c.id', 'c.name', 'c.body', 'c.state', 'p.title', 'p.series', 'p.episode', 'p.slug'])
			.orderBy('c.created_at')
			.orderBy('c.id')
			.limit(200)
			.execute();
		if (!comments.length) continue;
		const base = `${origin.replace(/\/+$/, '')}/l/${s.slug}/journal`;
		const items: DigestItem[] = comments.map((c) => ({
			postTitle: displayTitle(c),
			name: c.name,
			pending: c.state === 'pending',
			excerpt: excerpt(c.body, 200),
			url: c.state === 'pending' ? `${base}/moderation` : `${base}/${c.slug}#comment-${c.id}`
		}));
		const queued = await inTransaction(db, async (trx) => {
			// Claims this digest first, so two servers running the job never send it twice.
			let claim = trx
				.updateTable('journal_notify')
				.set({ last_digest_at: nowStr })
				.where('lab_id', '=', s.lab_id)
				.where('account_id', '=', s.account_id)
				.where('mode', '=', 'digest');
			claim = s.last_digest_at === null ? claim.where('last_digest_at', 'is', null) : claim.where('last_digest_at', '=', s.last_digest_at);
			const r = await claim.executeTakeFirst();
			if (!Number(r.numUpdatedRows)) return false;
			await enqueueMail(trx, { labId: s.lab_id, to: s.email, ...journalMails.digest({ labName: s.name, items, moderationUrl: `${base}/moderation` }) });
			return true;
		});
		if (queued) sent++;
	}
	return sent;
}
