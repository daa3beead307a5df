import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { inTransaction, newId, nowIso, toCount } from '../db/util';
import { DomainError } from '../errors';
import { authorize } from '../policy';
import { recordAudit } from '../audit';
import { indexDocument, removeDocument, setStatus } from '../search';
import { countFromSource, createKnowledge, itemsFromSource } from '../knowledge';
import { backlinksOf, countLinksTo, linkResolver, rebuildLinks, removeLinksFrom, type Backlink } from '../links';
import { countFilesOf, filesOf } from '../files';
import { memberPeopleNamed } from '../members';
import { callCountOfEvent, referentPeopleNamed } from '../network';
import { participantCountOfEvent } from '../sessions';
import { renderMarkdown } from '../markdown/markdown';
import type { LabContext } from '../labs';
import type { DecisionLine, EventKind, ParticipantLine, ParticipantRole } from '$lib/shared/events';
import type { KnowledgeType } from '$lib/shared/knowledge';

export interface EventInput {
	kind: EventKind;
	title: string;
	startsAt: string; // ISO UTC
	endsAt: string;
	place: string;
	onlineUrl: string;
	description: string;
	agenda: string;
	minutes: string;
	participants: ParticipantLine[];
	decisions: DecisionLine[];
}

export interface EventSummary {
	id: string;
	kind: EventKind;
	title: string;
	startsAt: string;
	endsAt: string;
	place: string;
	participants: number;
	/** Set when the event was cancelled (it stays listed, marked). */
	cancelledAt: string | null;
}

export interface EventDetail extends EventSummary {
	onlineUrl: string;
	description: string;
	agenda: string;
	minutes: string;
	minutesHtml: string;
	agendaHtml: string;
	descriptionHtml: string;
	participantList: (ParticipantLine & { id: string; member: boolean })[];
	decisions: (DecisionLine & { id: string })[];
	files: { id: string; name: string; mime: string; size: number }[];
	outputs: { id: string; type: KnowledgeType; title: string }[];
	backlinks: Backlink[];
	cancelReason: string;
}

function check(input: EventInput) {
	if (Date.parse(input.endsAt) < Date.parse(input.startsAt)) throw new DomainError('event.endBeforeStart', 400, {}, 'endsAt');
}

async function writeChildren(trx: Kysely<Database>, ctx: LabContext, id: string, input: EventInput) {
	await trx.deleteFrom('event_participant').where('event_id', '=', id).execute();
	await trx.deleteFrom('event_decision').where('event_id', '=', id).execute();
	if (input.participants.length) {
		// A participant whose name is a member's is linked to that person (their record follows them).
		const names = [...new Set(input.participants.map((p) => p.name.toLowerCase()))];
		const members = await memberPeopleNamed(trx, ctx.lab.id, names);
		// …or a referent of the lab's network (who may have no account).
		const referents = await referentPeopleNamed(trx, ctx.lab.id, names);
		const personOf = new Map([...referents, ...members].map((m) => [m.name.toLowerCase(), m.id]));
		await trx
			.insertInto('event_participant')
			.values(
				input.participants.map((p, i) => ({
					id: newId(),
					lab_id: ctx.lab.id,
					event_id: id,
					person_id: personOf.get(p.name.toLowerCase()) ?? null,
					name: p.name,
					organisation: p.organisation,
					role: p.role,
					attended: p.attended === undefined || p.attended === null ? null : p.attended ? 1 : 0,
					position: i
				}))
			)
			.execute();
	}
	if (input.decisions.length)
		await trx
			.insertInto('event_decision')
			.values(input.decisions.map((d, i) => ({ id: newId(), lab_id: ctx.lab.id, event_id: id, text: d.text, owner: d.owner, due_on: d.dueOn, position: i })))
			.execute();
	const text = [input.description, input.agenda, input.minutes].join('\n\n');
	await rebuildLinks(trx, ctx.lab.id, { type: 'event', id }, text);
	await indexDocument(trx, {
		type: 'event',
		id,
		labId: ctx.lab.id,
		title: input.title,
		body: [input.place, text, input.decisions.map((d) => d.text).join('\n'), input.participants.map((p) => `${p.name} ${p.organisation}`).join('\n')].join(
			'\n'
		),
		subtype: input.kind,
		visibility: 'lab',
		date: input.startsAt
	});
}

export async function createEvent(db: Kysely<Database>, ctx: LabContext, input: EventInput): Promise<string> {
	authorize(ctx.role, 'events.edit');
	check(input);
	const id = newId();
	const now = nowIso();
	await inTransaction(db, async (trx) => {
		await trx
			.insertInto('event')
			.values({
				id,
				lab_id: ctx.lab.id,
				kind: input.kind,
				title: input.title,
				starts_at: input.startsAt,
				ends_at: input.endsAt,
				place: input.place,
				online_url: input.onlineUrl,
				description: input.description,
				agenda: input.agenda,
				minutes: input.minutes,
				created_by: ctx.actor?.accountId ?? null,
				created_at: now,
				updated_at: now
			})
			.execute();
		await writeChildren(trx, ctx, id, input);
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'event.create',
			subjectType: 'event',
			subjectId: id,
			summary: { kind: input.kind }
		});
	});
	return id;
}

export async function updateEvent(db: Kysely<Database>, ctx: LabContext, id: string, input: EventInput): Promise<void> {
	authorize(ctx.role, 'events.edit');
	check(input);
	await inTransaction(db, async (trx) => {
		const res = await trx
			.updateTable('event')
			.set({
				kind: input.kind,
				title: input.title,
				starts_at: input.startsAt,
				ends_at: input.endsAt,
				place: input.place,
				online_url: input.onlineUrl,
				description: input.description,
				agenda: input.agenda,
				minutes: input.minutes,
				updated_at: nowIso()
			})
			.where('id', '=', id)
			.where('lab_id', '=', ctx.lab.id)
			.executeTakeFirst();
		if (Number(res.numUpdatedRows) !== 1) throw new DomainError('event.notFound', 404);
		await writeChildren(trx, ctx, id, input);
		await recordAudit(trx, { labId: ctx.lab.id, actorId: ctx.actor?.accountId ?? null, action: 'event.update', subjectType: 'event', subjectId: id });
	});
}

export const EVENTS_PAGE_SIZE = 50;

export async function listEvents(
	db: Kysely<Database>,
	ctx: LabContext,
	f: { kind?: EventKind; when?: 'upcoming' | 'past'; page?: number }
): Promise<{ rows: EventSummary[]; total: number }> {
	authorize(ctx.role, 'events.view');
	const now = nowIso();
	let q = db.selectFrom('event as e').where('e.lab_id', '=', ctx.lab.id);
	if (f.kind) q = q.where('e.kind', '=', f.kind);
	if (f.when === 'upcoming') q = q.where('e.ends_at', '>=', now);
	if (f.when === 'past') q = q.where('e.ends_at', '<', now);
	const page = Math.max(1, f.page ?? 1);
	const [rows, total] = await Promise.all([
		q
			.select(['e.id', 'e.kind', 'e.title', 'e.starts_at', 'e.ends_at', 'e.place', 'e.cancelled_at'])
			.select((eb) =>
				eb
					.selectFrom('event_participant as p')
					.whereRef('p.event_id', '=', 'e.id')
					.select((x) => x.fn.countAll().as('n'))
					.as('participants')
			)
			.orderBy('e.starts_at', f.when === 'upcoming' ? 'asc' : 'desc')
			.limit(EVENTS_PAGE_SIZE)
			.offset((page - 1) * EVENTS_PAGE_SIZE)
			.execute(),
		q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()
	]);
	return {
		rows: rows.map((r) => ({
			id: r.id,
			kind: r.kind as EventKind,
			title: r.title,
			startsAt: r.starts_at,
			endsAt: r.ends_at,
			place: r.place,
			participants: toCount(r.participants),
			cancelledAt: r.cancelled_at
		})),
		total: toCount(total.n)
	};
}

/** Events that have not started yet and are not cancelled, soonest first: the choices of a form that plans one. */
export async function upcomingEventChoices(db: Kysely<Database>, ctx: LabContext, now = nowIso()): Promise<{ id: string; title: string; startsAt: string }[]> {
	authorize(ctx.role, 'events.view');
	const rows = await db
		.selectFrom('event')
		.where('lab_id', '=', ctx.lab.id)
		.where('starts_at', '>', now)
		.where('cancelled_at', 'is', null)
		.select(['id', 'title', 'starts_at'])
		.orderBy('starts_at')
		.limit(200)
		.execute();
	return rows.map((r) => ({ id: r.id, title: r.title, startsAt: r.starts_at }));
}

/** How many events `upcomingEventChoices` leaves out for having started (cancelled ones aside), so a form can say so. */
export async function pastEventCount(db: Kysely<Database>, ctx: LabContext, now = nowIso()): Promise<number> {
	authorize(ctx.role, 'events.view');
	const r = await db
		.selectFrom('event')
		.where('lab_id', '=', ctx.lab.id)
		.where('starts_at', '<=', now)
		.where('cancelled_at', 'is', null)
		.select((eb) => eb.fn.countAll().as('n'))
		.executeTakeFirstOrThrow();
	return toCount(r.n);
}

export async function getEvent(db: Kysely<Database>, ctx: LabContext, id: string): Promise<EventDetail> {
	authorize(ctx.role, 'events.view');
	const e = await db.selectFrom('event').where('id', '=', id).where('lab_id', '=', ctx.lab.id).selectAll().executeTakeFirst();
	if (!e) throw new DomainError('event.notFound', 404);
	const [participants, decisions, files, outputs, resolve, backlinks] = await Promise.all([
		db.selectFrom('event_participant').where('event_id', '=', id).selectAll().orderBy('position').execute(),
		db.selectFrom('event_decision').where('event_id', '=', id).selectAll().orderBy('position').execute(),
		filesOf(db, ctx.lab.id, { type: 'event', id }),
		itemsFromSource(db, ctx.lab.id, { type: 'event', id }),
		linkResolver(db, ctx.lab, [e.description, e.agenda, e.minutes].join('\n')),
		backlinksOf(db, ctx, { type: 'event', id })
	]);
	return {
		id: e.id,
		kind: e.kind as EventKind,
		title: e.title,
		startsAt: e.starts_at,
		endsAt: e.ends_at,
		place: e.place,
		participants: participants.length,
		cancelledAt: e.cancelled_at,
		cancelReason: e.cancel_reason,
		onlineUrl: e.online_url,
		description: e.description,
		agenda: e.agenda,
		minutes: e.minutes,
		descriptionHtml: renderMarkdown(e.description, resolve),
		agendaHtml: renderMarkdown(e.agenda, resolve),
		minutesHtml: renderMarkdown(e.minutes, resolve),
		participantList: participants.map((p) => ({
			id: p.id,
			name: p.name,
			organisation: p.organisation,
			role: p.role as ParticipantRole,
			attended: p.attended === null ? null : p.attended === 1,
			member: p.person_id !== null
		})),
		decisions: decisions.map((d) => ({ id: d.id, text: d.text, owner: d.owner, dueOn: d.due_on })),
		files,
		outputs: outputs.map((o) => ({ id: o.id, type: o.type as KnowledgeType, title: o.title })),
		backlinks
	};
}

/** Turns several outputs of an event into knowledge items in one step (all or nothing). */
export async function createOutputs(
	db: Kysely<Database>,
	ctx: LabContext,
	eventId: string,
	items: { type: KnowledgeType; title: string; body: string }[]
): Promise<string[]> {
	authorize(ctx.role, 'knowledge.edit');
	return inTransaction(db, async (trx) => {
		const e = await trx.selectFrom('event').where('id', '=', eventId).where('lab_id', '=', ctx.lab.id).select('id').executeTakeFirst();
		if (!e) throw new DomainError('event.notFound', 404);
		const ids: string[] = [];
		for (const it of items) ids.push(await createKnowledge(trx, ctx, { ...it, tags: [], visibility: 'lab', sourceType: 'event', sourceId: eventId }));
		return ids;
	});
}

/** Throws "not found" unless the event exists in the caller's lab. */
export async function assertEvent(db: Kysely<Database>, ctx: LabContext, id: string): Promise<void> {
	const e = await db.selectFrom('event').where('id', '=', id).where('lab_id', '=', ctx.lab.id).select('id').executeTakeFirst();
	if (!e) throw new DomainError('event.notFound', 404);
}

/**
 * Cancels an event: it stays in the history and in the list, marked as cancelled with the reason,
 * and is no longer offered where an upcoming event is chosen. `reinstate` undoes it.
 */
export async function cancelEvent(db: Kysely<Database>, ctx: LabContext, id: string, reason: string): Promise<void> {
	authorize(ctx.role, 'events.cancel');
	await inTransaction(db, async (trx) => {
		const e = await trx.selectFrom('event').where('id', '=', id).where('lab_id', '=', ctx.lab.id).select(['cancelled_at']).executeTakeFirst();
		if (!e) throw new DomainError('event.notFound', 404);
		if (e.cancelled_at) throw new DomainError('event.alreadyCancelled', 409);
		await trx.updateTable('event').set({ cancelled_at: nowIso(), cancel_reason: reason, updated_at: nowIso() }).where('id', '=', id).execute();
		await setStatus(trx, 'event', id, 'cancelled');
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'event.cancel',
			subjectType: 'event',
			subjectId: id,
			summary: { reason }
		});
	});
}

export async function reinstateEvent(db: Kysely<Database>, ctx: LabContext, id: string): Promise<void> {
	authorize(ctx.role, 'events.cancel');
	await inTransaction(db, async (trx) => {
		const e = await trx.selectFrom('event').where('id', '=', id).where('lab_id', '=', ctx.lab.id).select(['cancelled_at']).executeTakeFirst();
		if (!e) throw new DomainError('event.notFound', 404);
		if (!e.cancelled_at) throw new DomainError('event.notCancelled', 409);
		await trx.updateTable('event').set({ cancelled_at: null, cancel_reason: '', updated_at: nowIso() }).where('id', '=', id).execute();
		await setStatus(trx, 'event', id, '');
		await recordAudit(trx, { labId: ctx.lab.id, actorId: ctx.actor?.accountId ?? null, action: 'event.reinstate', subjectType: 'event', subjectId: id });
	});
}

/** What refers to an event and would be lost or left dangling if it were deleted. */
async function linkedToEvent(db: Kysely<Database>, labId: string, id: string) {
	const [outputs, calls, sessions, files, mentions] = await Promise.all([
		countFromSource(db, labId, { type: 'event', id }),
		callCountOfEvent(db, id),
		participantCountOfEvent(db, id),
		countFilesOf(db, labId, { type: 'event', id }),
		countLinksTo(db, labId, { type: 'event', id })
	]);
	return { outputs, calls, sessions, files, mentions };
}

/**
 * Deletes an event entered by mistake, with its participants and decisions. Refused, with what
 * is linked to it, when other records refer to it (items drawn from it, calls, a co-production
 * session, files, mentions): such an event is cancelled instead, so the history stays whole.
 */
export async function deleteEvent(db: Kysely<Database>, ctx: LabContext, id: string): Promise<void> {
	authorize(ctx.role, 'events.delete');
	await inTransaction(db, async (trx) => {
		const e = await trx.selectFrom('event').where('id', '=', id).where('lab_id', '=', ctx.lab.id).select(['title', 'starts_at']).executeTakeFirst();
		if (!e) throw new DomainError('event.notFound', 404);
		const linked = await linkedToEvent(trx, ctx.lab.id, id);
		if (Object.values(linked).some((n) => n > 0)) throw new DomainError('event.deleteLinked', 409, linked);
		await removeLinksFrom(trx, { type: 'event', id });
		await removeDocument(trx, 'event', id);
		await trx.deleteFrom('event').where('id', '=', id).execute();
		await recordAudit(trx, {
			labId: ctx.lab.id,
			actorId: ctx.actor?.accountId ?? null,
			action: 'event.delete',
			subjectType: 'event',
			subjectId: id,
			summary: { title: e.title, startsAt: e.starts_at }
		});
	});
}
