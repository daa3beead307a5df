import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { Kysely, Selectable } from 'kysely';
import type { Database, EventTable } from '../db/schema';
import { inTransaction, nowIso } from '../db/util';
import { hashToken, newToken } from '../auth';
import { authorize, can } from '../policy';
import { roleOf } from '../members';
import { DomainError } from '../errors';
import type { LabContext, LabSummary } from '../labs';

/** An iCalendar document for events (a whole feed or one event). */
export function toICalendar(lab: LabSummary, events: Selectable<EventTable>[], origin: string): string {
	const cal = ical({
		name: lab.name,
		prodId: { company: 'Labo', product: 'labo', language: 'FR' },
		timezone: 'Europe/Paris',
		method: ICalCalendarMethod.PUBLISH
	});
	for (const e of events) {
		cal.createEvent({
			id: `${e.id}@labo`,
			start: new Date(e.starts_at),
			end: new Date(e.ends_at),
			summary: e.title,
			description: [e.description, e.agenda].filter(Boolean).join('\n\n'),
			location: e.place || e.online_url || undefined,
			url: `${origin}/l/${lab.slug}/events/${e.id}`,
			lastModified: new Date(e.updated_at),
			// A cancelled event stays in subscribed calendars, marked as such.
			...(e.cancelled_at ? { status: ICalEventStatus.CANCELLED } : {})
		});
	}
	return cal.toString();
}

/**
 * Issues the caller's personal calendar link for this lab. Only a hash is kept, so the link is
 * shown once; asking again replaces it (and so revokes the old one).
 */
export async function issueCalendarToken(db: Kysely<Database>, ctx: LabContext): Promise<string> {
	authorize(ctx.role, 'events.view');
	const accountId = ctx.actor!.accountId;
	const token = newToken();
	await inTransaction(db, async (trx) => {
		await trx.deleteFrom('calendar_token').where('lab_id', '=', ctx.lab.id).where('account_id', '=', accountId).execute();
		await trx
			.insertInto('calendar_token')
			.values({ token_hash: hashToken(token), lab_id: ctx.lab.id, account_id: accountId, created_at: nowIso() })
			.execute();
	});
	return token;
}

/** Whether a feed token still belongs to a member who may read the lab's events. */
export async function checkCalendarToken(db: Kysely<Database>, labId: string, token: string): Promise<boolean> {
	const row = await db
		.selectFrom('calendar_token')
		.where('token_hash', '=', hashToken(token))
		.where('lab_id', '=', labId)
		.select('account_id')
		.executeTakeFirst();
	if (!row) return false;
	const role = await roleOf(db, labId, row.account_id);
	return role !== null && can(role, 'events.view');
}

/** One event as an .ics file. */
export async function eventCalendar(db: Kysely<Database>, ctx: LabContext, eventId: string, origin: string): Promise<string> {
	authorize(ctx.role, 'events.view');
	const row = await db.selectFrom('event').where('id', '=', eventId).where('lab_id', '=', ctx.lab.id).selectAll().executeTakeFirst();
	if (!row) throw new DomainError('event.notFound', 404);
	return toICalendar(ctx.lab, [row], origin);
}

/** The lab's whole calendar for a feed token, or null when the token does not open it. */
export async function labFeed(db: Kysely<Database>, lab: LabSummary, token: string, origin: string): Promise<string | null> {
	if (!token || !(await checkCalendarToken(db, lab.id, token))) return null;
	const events = await db.selectFrom('event').where('lab_id', '=', lab.id).selectAll().orderBy('starts_at').limit(5000).execute();
	return toICalendar(lab, events, origin);
}
